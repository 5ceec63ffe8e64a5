"""Platform adapters: translate platform payloads to engine events and render replies."""
