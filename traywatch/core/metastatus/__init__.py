"""Meta's own word: Meta Status (metastatus.com) read, mapped to our services, shown beside our
measurement. `status` holds the value types and the mapping, `feed` the defensive parsing,
`poller` the polite polling (own cadence, conditional requests, backoff)."""
