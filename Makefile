# A convenience where make is installed: each target runs the ./dev command of its name.
# ./dev (POSIX sh) is what the README tells a newcomer to type: a fresh Debian has no make.
.PHONY: run test unit desktop test-desktop lint setup clean

run test unit desktop lint setup:
	./dev $@

test-desktop: desktop

clean:
	rm -rf .venv build dist *.egg-info
