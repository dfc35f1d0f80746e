"""`kb`: the contributors' and maintainers' command, a shell around the same code the plugin runs."""
