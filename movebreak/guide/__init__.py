"""The guided timer's shell: the window process and the messages it exchanges with the app."""
