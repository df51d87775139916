"""The config file: its model, the built-in defaults, loading with line-numbered errors."""
