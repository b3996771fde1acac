"""Reports (pure): what a person or a program reads of a check or a backtest, as text, JSON, CSV or HTML."""
