"""wp-migrate: move WordPress content out of WordPress (and back in) without losing anything."""
