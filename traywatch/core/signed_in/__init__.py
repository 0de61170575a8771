"""The owner's own account: an optional signed-in Graph API call (and the WhatsApp number's
health) that sees what anonymous probes cannot — logins failing while pages load (March 2024).
`status` holds the value types, `graph` reads Meta's answers, `checker` makes the calls."""
