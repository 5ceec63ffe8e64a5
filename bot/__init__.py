"""The platform-agnostic engine of Mock Interview Bot."""
