"""The course's tests (a package, so that tests.online never collides with another "tests" module)."""
