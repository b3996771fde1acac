"""The warehouse (I/O): connecting, the statements the job sends, reading them, and writing the demo."""
