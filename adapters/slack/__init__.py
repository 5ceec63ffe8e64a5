"""The Slack app: slash commands, the daily question with a modal, DM interviews, App Home."""
