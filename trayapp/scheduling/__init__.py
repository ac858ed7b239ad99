"""When to poll: APScheduler jobs that only call back ("due"), and a wake-from-sleep check."""
