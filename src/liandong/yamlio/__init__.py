"""Stage 1: reading YAML. A strict loader (JSON-like types, exact line numbers, no surprises), the
dumper that writes records the way `liandong new` does, and the locator that maps a schema path
to the line it came from."""
