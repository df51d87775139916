"""Sound cues: a guided routine's steps and a prompt, heard when the user looks away."""
