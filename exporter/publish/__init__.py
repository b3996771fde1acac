"""Publishing (I/O at the edges): the verdict as gauges, pushed to a Pushgateway or written as a textfile."""
