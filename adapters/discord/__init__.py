"""The Discord bot: slash commands, the daily question with a modal, DM interviews."""
