"""Read news inputs (text, HTML, feeds, JSON Lines, WARC, gzip of each) into RawItems."""
