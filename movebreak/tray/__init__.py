"""The system tray icon: its art, its menu and the pystray backend it runs on."""
