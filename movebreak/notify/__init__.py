"""Native notifications: a small interface and one adapter per way of showing them."""
