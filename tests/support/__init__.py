"""What the tests share besides fixtures: databases, servers, factories of data, expected verdicts."""
