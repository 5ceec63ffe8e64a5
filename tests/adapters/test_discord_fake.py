"""The loopback Discord drives a real discord.py bot: commands, components, DMs and errors."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import discord
import pytest
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord_fake import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_MESSAGE,
    EPHEMERAL,
    MANAGE_GUILD,
    MODAL,
    FakeDiscord,
)

TOKEN = "fake-token"
TIMEOUT = 5


class FeedbackModal(discord.ui.Modal, title="Interview feedback"):
    answer: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="How did it go?", custom_id="answer"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks: {self.answer.value}", ephemeral=True)


class FeedbackView(discord.ui.View):
    """A persistent view: its button works on any message, even after a restart."""

    def __init__(self, opened: asyncio.Event) -> None:
        super().__init__(timeout=None)
        self.opened = opened

    @discord.ui.button(label="Give feedback", custom_id="feedback:open")
    async def open(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(FeedbackModal(custom_id="feedback:modal"))
        self.opened.set()


class MiniBot(commands.Bot):
    """The smallest bot that uses every surface our adapter needs."""

    def __init__(self, guild_id: str) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.dm_messages = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
        self.guild_ref = discord.Object(int(guild_id))
        self.modal_opened = asyncio.Event()

    async def setup_hook(self) -> None:
        self.add_view(FeedbackView(self.modal_opened))
        self.tree.add_command(ping)
        self.tree.add_command(report)
        self.tree.add_command(interview)
        self.tree.add_command(setup, guild=self.guild_ref)
        self.add_listener(self.reply_in_dm, "on_message")

    async def reply_in_dm(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is not None:
            return
        await message.channel.send(f"echo: {message.content}")


@app_commands.command(name="ping", description="Check the bot is alive")
async def ping(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("pong", ephemeral=True)


@app_commands.command(name="report", description="Build a slow report")
async def report(interaction: discord.Interaction, topic: str) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    await interaction.followup.send(f"report on {topic}", ephemeral=True)


@app_commands.command(name="setup", description="Configure the bot for this server")
@app_commands.default_permissions(manage_guild=True)
async def setup(interaction: discord.Interaction) -> None:
    if not interaction.permissions.manage_guild:
        await interaction.response.send_message("You need Manage Server.", ephemeral=True)
        return
    view = FeedbackView(interaction.client.modal_opened)  # type: ignore[attr-defined]
    await interaction.response.send_message("Configured.", view=view)


interview = app_commands.Group(name="interview", description="Mock interviews")


@interview.command(name="start", description="Start an interview")
async def start(interaction: discord.Interaction, topic: str, questions: int) -> None:
    await interaction.response.send_message(f"{topic} x{questions}")


@start.autocomplete("topic")
async def topic_choices(interaction: discord.Interaction, current: str) -> list:
    topics = ["machine-learning", "statistics", "sql"]
    return [app_commands.Choice(name=t, value=t) for t in topics if t.startswith(current)]


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as server:
        yield server


@pytest.fixture
def discord_at_fake(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point discord.py's REST base and gateway at the fake; monkeypatch restores both."""
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))


@pytest.fixture
async def bot(fake: FakeDiscord, discord_at_fake: None) -> AsyncIterator[MiniBot]:
    client = MiniBot(fake.guild.id)
    running = asyncio.create_task(client.start(TOKEN))
    await _ready_or_crashed(fake, running)
    await asyncio.wait_for(client.wait_until_ready(), TIMEOUT)
    yield client
    await client.close()
    await asyncio.wait_for(running, TIMEOUT)
    assert client.http._HTTPClient__session.closed  # type: ignore[attr-defined]


async def _ready_or_crashed(fake: FakeDiscord, running: asyncio.Task[None]) -> None:
    """Wait for the fake's READY; if the client dies first, raise its error instead."""
    ready = asyncio.create_task(fake.ready())
    await asyncio.wait({ready, running}, return_when=asyncio.FIRST_COMPLETED)
    if not ready.done():
        ready.cancel()
        running.result()
    ready.result()


@pytest.fixture
async def synced(bot: MiniBot) -> MiniBot:
    await bot.tree.sync(guild=bot.guild_ref)
    await bot.tree.sync()
    return bot


# -- connecting ------------------------------------------------------------------------------


async def test_login_identify_and_guild_cache(fake: FakeDiscord, bot: MiniBot) -> None:
    assert [c.path for c in fake.calls[:2]] == ["/users/@me", "/oauth2/applications/@me"]
    assert fake.calls[0].headers["Authorization"] == f"Bot {TOKEN}"
    assert fake.identify_payload is not None
    assert fake.identify_payload["intents"] == bot.intents.value
    assert fake.gateway_query["v"] == "10"
    assert bot.application_id == int(fake.application_id)
    guild = bot.get_guild(int(fake.guild.id))
    assert guild is not None
    assert [c.name for c in guild.text_channels] == ["general", "interviews"]
    assert guild.me.id == int(fake.bot_user.id)


async def test_command_sync_is_stored(fake: FakeDiscord, bot: MiniBot) -> None:
    guild_commands = await bot.tree.sync(guild=bot.guild_ref)
    global_commands = await bot.tree.sync()
    assert [c["name"] for c in fake.commands[fake.guild.id]] == ["setup"]
    assert {c["name"] for c in fake.commands[None]} == {"ping", "report", "interview"}
    assert guild_commands[0].id == int(fake.commands[fake.guild.id][0]["id"])
    assert fake.commands[fake.guild.id][0]["default_member_permissions"] == str(MANAGE_GUILD)
    assert {c.name for c in global_commands} == {"ping", "report", "interview"}


async def test_dropped_gateway_is_resumed(fake: FakeDiscord, bot: MiniBot) -> None:
    await fake.disconnect(code=4000)
    [resume] = await fake.wait_for_op(6, timeout=TIMEOUT)
    assert resume["d"]["session_id"] == fake.session_id
    assert len(await fake.wait_for_op(2)) == 1  # no second IDENTIFY
    payload = fake.slash_command("ping")
    await fake.dispatch("INTERACTION_CREATE", payload)
    assert (await fake.interaction_response(payload["id"], TIMEOUT)).json["type"] == CHANNEL_MESSAGE


# -- interactions ----------------------------------------------------------------------------


async def test_slash_command_answers_ephemerally(fake: FakeDiscord, bot: MiniBot) -> None:
    payload = fake.slash_command("ping")
    await fake.dispatch("INTERACTION_CREATE", payload)
    call = await fake.interaction_response(payload["id"], TIMEOUT)
    assert call.json["type"] == CHANNEL_MESSAGE
    assert call.json["data"]["content"] == "pong"
    assert call.json["data"]["flags"] == EPHEMERAL
    assert call.query == {"with_response": "1"}


async def test_defer_then_followup(fake: FakeDiscord, bot: MiniBot) -> None:
    payload = fake.slash_command("report", {"topic": "sql"})
    await fake.dispatch("INTERACTION_CREATE", payload)
    call = await fake.interaction_response(payload["id"], TIMEOUT)
    assert call.json == {"type": DEFERRED_MESSAGE, "data": {"flags": EPHEMERAL}}
    [followup] = await fake.wait_for("POST", fake.webhook_path(payload["id"]), timeout=TIMEOUT)
    assert followup.json["content"] == "report on sql"
    assert followup.query["wait"] == "1"
    original = fake.messages[fake.interactions[payload["id"]].original_message_id or ""]
    assert original["content"] == "report on sql"
    assert original["flags"] == EPHEMERAL
    assert fake.messages_in(fake.channel.id)[-1]["content"] == "report on sql"


async def test_subcommand_options_and_autocomplete(fake: FakeDiscord, synced: MiniBot) -> None:
    typing = fake.autocomplete("interview start", {"topic": "st", "questions": 3}, "topic")
    await fake.dispatch("INTERACTION_CREATE", typing)
    suggested = await fake.interaction_response(typing["id"], TIMEOUT)
    assert suggested.json["type"] == AUTOCOMPLETE_RESULT
    assert suggested.json["data"]["choices"] == [{"name": "statistics", "value": "statistics"}]
    payload = fake.slash_command("interview start", {"topic": "statistics", "questions": 3})
    await fake.dispatch("INTERACTION_CREATE", payload)
    call = await fake.interaction_response(payload["id"], TIMEOUT)
    assert call.json["data"]["content"] == "statistics x3"


@pytest.mark.parametrize(
    ("who", "reply"), [("user", "You need Manage Server."), ("admin", "Configured.")]
)
async def test_guild_command_sees_member_permissions(
    fake: FakeDiscord, synced: MiniBot, who: str, reply: str
) -> None:
    payload = fake.slash_command("setup", user=getattr(fake, who))
    assert payload["data"]["guild_id"] == fake.guild.id
    await fake.dispatch("INTERACTION_CREATE", payload)
    call = await fake.interaction_response(payload["id"], TIMEOUT)
    assert call.json["data"]["content"] == reply


async def test_button_opens_modal_and_submit_is_answered(fake: FakeDiscord, bot: MiniBot) -> None:
    click = fake.button_click("feedback:open")
    await fake.dispatch("INTERACTION_CREATE", click)
    opened = await fake.interaction_response(click["id"], TIMEOUT)
    assert opened.json["type"] == MODAL
    assert opened.json["data"]["custom_id"] == "feedback:modal"
    # discord.py registers the modal only after the callback's HTTP response comes back.
    await asyncio.wait_for(bot.modal_opened.wait(), TIMEOUT)
    submit = fake.modal_submit("feedback:modal", {"answer": "went well"})
    await fake.dispatch("INTERACTION_CREATE", submit)
    answered = await fake.interaction_response(submit["id"], TIMEOUT)
    assert answered.json["data"] == {
        **answered.json["data"],
        "content": "Thanks: went well",
        "flags": EPHEMERAL,
    }


async def test_second_acknowledgement_is_rejected(fake: FakeDiscord, bot: MiniBot) -> None:
    payload = fake.slash_command("ping")
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.interaction_response(payload["id"], TIMEOUT)
    interaction = discord.Interaction(data=payload, state=bot._connection)
    with pytest.raises(discord.HTTPException) as raised:
        await interaction.response.send_message("again")
    assert raised.value.code == 40060


# -- messages --------------------------------------------------------------------------------


async def test_dm_is_answered_in_the_dm_channel(fake: FakeDiscord, bot: MiniBot) -> None:
    message = fake.dm_message("hello")
    await fake.dispatch("MESSAGE_CREATE", message)
    dm_path = rf"/channels/{message['channel_id']}/messages"
    [reply] = await fake.wait_for("POST", dm_path, timeout=TIMEOUT)
    assert reply.json["content"] == "echo: hello"
    assert "guild_id" not in message


async def test_dm_to_a_closed_inbox_raises_forbidden(fake: FakeDiscord, bot: MiniBot) -> None:
    user = await bot.fetch_user(int(fake.user.id))
    fake.fail_next("POST", r"/channels/\d+/messages", status=403, code=50007)
    with pytest.raises(discord.Forbidden) as raised:
        await user.send("your interview starts now")
    assert raised.value.code == 50007
    [opened] = fake.calls_to("POST", "/users/@me/channels")
    assert opened.json == {"recipient_id": int(fake.user.id)}


async def test_rate_limited_post_is_retried_once(fake: FakeDiscord, bot: MiniBot) -> None:
    path = rf"/channels/{fake.channel.id}/messages"
    fake.fail_next("POST", path, status=429, retry_after=0.0)
    channel = bot.get_channel(int(fake.channel.id))
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("hello")
    assert [c.status for c in fake.calls_to("POST", path)] == [429, 200]
    assert [m["content"] for m in fake.messages_in(fake.channel.id)] == ["hello"]
    assert sent.id == int(fake.messages_in(fake.channel.id)[0]["id"])


async def test_file_upload_and_thread(fake: FakeDiscord, bot: MiniBot) -> None:
    channel = bot.get_channel(int(fake.channel.id))
    assert isinstance(channel, discord.TextChannel)
    root = await channel.send("scores", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), "s.csv"))
    [upload] = fake.calls_to("POST", rf"/channels/{fake.channel.id}/messages")
    assert upload.json["content"] == "scores"
    assert [(f.filename, f.data) for f in upload.files] == [("s.csv", b"a,b\n1,2\n")]
    assert root.attachments[0].filename == "s.csv"
    thread = await root.create_thread(name="Interview #1")
    await thread.send("Question 1")
    assert thread.id == root.id
    assert fake.messages_in(str(thread.id))[0]["content"] == "Question 1"
