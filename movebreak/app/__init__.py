"""The running app: the controller that joins the core to the tray, timer and notifier."""
