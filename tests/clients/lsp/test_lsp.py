"""`annals lsp` end to end with pytest-lsp (pygls' client): every capability,
exact ranges. The record is tests/clients/lsp/record/, copied to a
temporary folder per test; the server never writes to it."""

import asyncio
import os
import pathlib
import shutil
import tempfile
import urllib.parse

import pytest
import pytest_lsp
from lsprotocol import types as t
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
ANNALS = os.environ.get("ANNALS", str(ROOT / "target" / "debug" / "annals"))

DIR = pathlib.Path(tempfile.mkdtemp(prefix="annals-lsp-")).resolve()
shutil.copytree(HERE / "record", DIR, dirs_exist_ok=True)
TEXT = {name: (DIR / name).read_text() for name in ("actors.yaml", "events.yaml", "sources.yaml")}


def uri(name):
    return "file://" + urllib.parse.quote(str(DIR / name))


def rng(l1, c1, l2, c2):
    return t.Range(start=t.Position(line=l1, character=c1), end=t.Position(line=l2, character=c2))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[ANNALS, "--dir", str(DIR), "lsp"]))
async def client(lsp_client: LanguageClient):
    caps = t.ClientCapabilities(
        text_document=t.TextDocumentClientCapabilities(
            hover=t.HoverClientCapabilities(content_format=[t.MarkupKind.Markdown]),
            document_symbol=t.DocumentSymbolClientCapabilities(
                hierarchical_document_symbol_support=True),
            publish_diagnostics=t.PublishDiagnosticsClientCapabilities(related_information=True),
            code_action=t.CodeActionClientCapabilities(
                code_action_literal_support=t.ClientCodeActionLiteralOptions(
                    code_action_kind=t.ClientCodeActionKindOptions(value_set=[t.CodeActionKind.QuickFix]))),
            rename=t.RenameClientCapabilities(prepare_support=True),
        ),
    )
    await lsp_client.initialize_session(t.InitializeParams(capabilities=caps, root_uri=uri("")))
    yield
    await lsp_client.shutdown_session()


async def published(client, name, pred=lambda ds: True, timeout=20):
    """The diagnostics published for `name` once `pred` holds for them."""
    key = uri(name)
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        ds = client.diagnostics.get(key)
        if ds is not None and pred(ds):
            return ds
        await asyncio.sleep(0.01)
    raise AssertionError(f"no such diagnostics for {name}: {client.diagnostics.get(key)}")


def open_doc(client, name, text=None):
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri(name), language_id="yaml", version=1, text=TEXT[name] if text is None else text)))


def change(client, name, text, version=2):
    client.diagnostics.pop(uri(name), None)
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri(name), version=version),
        content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)]))


def apply(text, edits):
    """`text` with the protocol's text edits applied (one line each)."""
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        s, n = e.range.start, e.range.end
        assert s.line == n.line or n.character == 0
        if s.line == n.line:
            line = lines[s.line]
            lines[s.line] = line[: s.character] + e.new_text + line[n.character:]
        else:
            lines[s.line] = e.new_text + lines[s.line]
    return "\n".join(lines)


def pos(name, line, character):
    return {"text_document": t.TextDocumentIdentifier(uri=uri(name)),
            "position": t.Position(line=line, character=character)}


# Diagnostics ------------------------------------------------------------

async def test_diagnostics_on_open_are_checks_with_ranges(client):
    open_doc(client, "events.yaml")
    ds = await published(client, "events.yaml", lambda ds: len(ds) > 0)
    assert [(d.code, d.range, d.severity, d.source) for d in ds] == [
        ("unknown-actor", rng(12, 16, 12, 28), t.DiagnosticSeverity.Error, "annals")]
    assert ds[0].message == "unknown actor `kishida-fumo`\nhelp: did you mean `kishida-fumio`?"


async def test_quick_fix_applied_clears_the_diagnostic(client):
    open_doc(client, "events.yaml")
    ds = await published(client, "events.yaml", lambda ds: len(ds) > 0)
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=uri("events.yaml")), range=ds[0].range,
        context=t.CodeActionContext(diagnostics=ds)))
    fix = actions[0]
    assert fix.title == "Replace with `kishida-fumio`"
    assert fix.kind == t.CodeActionKind.QuickFix and fix.is_preferred
    assert [(d.code, d.range) for d in fix.diagnostics] == [("unknown-actor", rng(12, 16, 12, 28))]
    fixed = apply(TEXT["events.yaml"], fix.edit.changes[uri("events.yaml")])
    assert "{actor: kishida-fumio, role: target}" in fixed
    change(client, "events.yaml", fixed)
    assert await published(client, "events.yaml") == ()


async def test_a_change_in_the_actors_file_updates_other_files(client):
    open_doc(client, "events.yaml")
    await published(client, "events.yaml", lambda ds: len(ds) == 1)
    open_doc(client, "actors.yaml")
    await published(client, "actors.yaml")
    change(client, "actors.yaml", TEXT["actors.yaml"].replace("id: japan\n", "id: nippon\n"))
    ds = await published(client, "events.yaml", lambda ds: len(ds) == 2)
    assert [(d.code, d.range) for d in ds] == [
        ("unknown-actor", rng(5, 13, 5, 18)), ("unknown-actor", rng(12, 16, 12, 28))]
    # The actors file's own `member_of: [japan]` is now unknown too.
    ds = await published(client, "actors.yaml", lambda ds: len(ds) == 1)
    assert (ds[0].code, ds[0].range) == ("unknown-actor", rng(12, 16, 12, 21))


async def test_half_typed_yaml_reports_and_keeps_the_last_good_record(client):
    open_doc(client, "actors.yaml")
    await published(client, "actors.yaml")
    open_doc(client, "events.yaml")
    change(client, "actors.yaml", TEXT["actors.yaml"].replace("[Fumio Kishida]", "[Fumio Kishida"))
    ds = await published(client, "actors.yaml", lambda ds: len(ds) > 0)
    assert ds[0].code == "yaml-syntax"
    items = await client.text_document_completion_async(t.CompletionParams(**pos("events.yaml", 12, 19)))
    assert "kishida-fumio" in [i.label for i in items.items]


async def test_files_outside_the_record_get_empty_answers(client):
    open_doc(client, "events.yaml")
    await published(client, "events.yaml", lambda ds: len(ds) > 0)
    outside = "file:///tmp/annals-lsp-not-a-record/notes.yaml"
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=outside, language_id="yaml", version=1, text="actor: japan\n")))
    p = {"text_document": t.TextDocumentIdentifier(uri=outside), "position": t.Position(line=0, character=9)}
    assert await client.text_document_hover_async(t.HoverParams(**p)) is None
    assert await client.text_document_completion_async(t.CompletionParams(**p)) is None
    assert await client.text_document_definition_async(t.DefinitionParams(**p)) is None


# Completion -------------------------------------------------------------

async def completions(client, name, text, line, character):
    open_doc(client, name, text)
    return await client.text_document_completion_async(t.CompletionParams(**pos(name, line, character)))


async def test_completion_of_actors_by_id_name_or_alias(client):
    text = TEXT["events.yaml"].replace("kishida-fumo,", "Fumio,")
    result = await completions(client, "events.yaml", text, 12, 21)
    [item] = result.items
    assert item.label == "kishida-fumio"
    assert item.detail == "Kishida Fumio · person · 0 events"
    assert item.text_edit.range == rng(12, 16, 12, 21)
    assert item.text_edit.new_text == "kishida-fumio"
    # After `actor:` with nothing typed: every actor, with event counts.
    text = TEXT["events.yaml"].replace("{actor: kishida-fumo, role: target}", "{actor: , role: target}")
    result = await completions(client, "events.yaml", text, 12, 16)
    assert [(i.label, i.detail) for i in result.items] == [
        ("japan", "Japan · state · 1 event"),
        ("japan-government", "Government of Japan · government · 0 events"),
        ("kishida-fumio", "Kishida Fumio · person · 0 events")]


async def test_completion_of_member_of(client):
    text = TEXT["actors.yaml"].replace("member_of: [japan]", "member_of: [kis]")
    result = await completions(client, "actors.yaml", text, 12, 19)
    assert [i.label for i in result.items] == ["kishida-fumio"]


async def test_completion_of_sources(client):
    text = TEXT["events.yaml"].replace("      - kei-report", "      - kei")
    result = await completions(client, "events.yaml", text, 16, 11)
    [item] = result.items
    assert (item.label, item.detail) == ("kei-report", "Dim Prospects — KEI")
    assert item.text_edit.range == rng(16, 8, 16, 11)


async def test_completion_of_related_events(client):
    text = TEXT["events.yaml"].replace("{event: quake,", "{event: qu,")
    result = await completions(client, "events.yaml", text, 14, 18)
    assert [(i.label, i.detail) for i in result.items] == [("quake", "1 Jan 2024 · Earthquake")]


async def test_completion_of_kinds_roles_statuses_and_relations(client):
    text = TEXT["events.yaml"].replace("kind: earthquake", "kind: earth")
    result = await completions(client, "events.yaml", text, 3, 15)
    assert [i.label for i in result.items] == ["earthquake"]
    text = TEXT["events.yaml"].replace("role: target}", "role: ta}")
    result = await completions(client, "events.yaml", text, 12, 38)
    assert [i.label for i in result.items] == ["target"]
    text = TEXT["events.yaml"].replace("relation: responds-to}", "relation: }")
    result = await completions(client, "events.yaml", text, 14, 34)
    assert [i.label for i in result.items] == [
        "contradicts", "follows", "part-of", "refers-to", "responds-to"]
    text = TEXT["events.yaml"].replace("    title: Earthquake\n", "    title: Earthquake\n    status: sch\n")
    result = await completions(client, "events.yaml", text, 5, 15)
    assert [i.label for i in result.items] == ["scheduled"]


# Hover ------------------------------------------------------------------

async def hover(client, name, line, character):
    open_doc(client, name)
    return await client.text_document_hover_async(t.HoverParams(**pos(name, line, character)))


async def test_hover_on_an_actor(client):
    h = await hover(client, "actors.yaml", 12, 18)
    assert h.contents.value == "**Japan** (`japan`)\n\nstate\n\n1 event"
    assert h.range == rng(12, 16, 12, 21)
    h = await hover(client, "actors.yaml", 8, 12)
    assert h.contents.value == (
        "**Government of Japan** (`japan-government`)\n\ngovernment · JPN\n\n"
        "member of: `japan`\n\n0 events")


async def test_hover_on_a_source_is_its_citation(client):
    h = await hover(client, "events.yaml", 16, 10)
    assert h.contents.value == "*Dim Prospects*. KEI, 4 Apr 2024."


async def test_hover_on_a_date(client):
    h = await hover(client, "events.yaml", 8, 14)
    assert h.contents.kind == t.MarkupKind.Markdown
    assert h.contents.value == (
        "**one day between 1 and 6 Jan 2024**\n\nfrom 2024-01-01 to 2024-01-06\n\n"
        "EDTF level 2: one-of, day")
    assert h.range == rng(8, 11, 8, 35)


async def test_hover_on_an_event(client):
    h = await hover(client, "events.yaml", 14, 17)
    assert h.contents.value == "**1 Jan 2024** — Earthquake\n\noccurred · earthquake"


# Navigation -------------------------------------------------------------

async def test_definition_of_an_actor(client):
    open_doc(client, "events.yaml")
    loc = await client.text_document_definition_async(t.DefinitionParams(**pos("events.yaml", 5, 15)))
    assert loc == t.Location(uri=uri("actors.yaml"), range=rng(5, 8, 5, 13))


async def test_definition_of_a_source_and_an_event(client):
    open_doc(client, "events.yaml")
    loc = await client.text_document_definition_async(t.DefinitionParams(**pos("events.yaml", 6, 16)))
    assert loc == t.Location(uri=uri("sources.yaml"), range=rng(1, 8, 1, 18))
    loc = await client.text_document_definition_async(t.DefinitionParams(**pos("events.yaml", 14, 17)))
    assert loc == t.Location(uri=uri("events.yaml"), range=rng(1, 8, 1, 13))


async def refs(client, name, line, character, decl=True):
    open_doc(client, name)
    found = await client.text_document_references_async(t.ReferenceParams(
        **pos(name, line, character), context=t.ReferenceContext(include_declaration=decl)))
    return [(l.uri.rsplit("/", 1)[1], l.range) for l in found]


async def test_references_of_an_actor_across_files(client):
    assert await refs(client, "actors.yaml", 5, 10) == [
        ("actors.yaml", rng(5, 8, 5, 13)),
        ("actors.yaml", rng(12, 16, 12, 21)),
        ("events.yaml", rng(5, 13, 5, 18))]
    assert await refs(client, "actors.yaml", 5, 10, decl=False) == [
        ("actors.yaml", rng(12, 16, 12, 21)), ("events.yaml", rng(5, 13, 5, 18))]


async def test_references_of_a_source_an_event_and_a_kind(client):
    assert await refs(client, "events.yaml", 6, 16, decl=False) == [
        ("events.yaml", rng(6, 14, 6, 24)), ("events.yaml", rng(16, 8, 16, 18))]
    assert await refs(client, "events.yaml", 1, 10) == [
        ("events.yaml", rng(1, 8, 1, 13)), ("events.yaml", rng(14, 16, 14, 21))]
    assert await refs(client, "events.yaml", 3, 12) == [("events.yaml", rng(3, 10, 3, 20))]


async def test_document_symbols_are_the_files_items(client):
    open_doc(client, "events.yaml")
    syms = await client.text_document_document_symbol_async(t.DocumentSymbolParams(
        text_document=t.TextDocumentIdentifier(uri=uri("events.yaml"))))
    assert [(s.name, s.detail, s.kind, s.selection_range) for s in syms] == [
        ("Earthquake", "2024-01-01 · quake", t.SymbolKind.Event, rng(1, 8, 1, 13)),
        ("A message", "[2024-01-01..2024-01-06] · message", t.SymbolKind.Event, rng(7, 8, 7, 15))]
    assert syms[0].range == rng(1, 4, 6, 25)


async def test_workspace_symbols_search_events_and_actors(client):
    open_doc(client, "events.yaml")
    await published(client, "events.yaml")
    syms = await client.workspace_symbol_async(t.WorkspaceSymbolParams(query="japan"))
    assert [(s.name, s.kind, s.location.uri.rsplit("/", 1)[1]) for s in syms] == [
        ("Japan", t.SymbolKind.Object, "actors.yaml"),
        ("Government of Japan", t.SymbolKind.Object, "actors.yaml")]
    syms = await client.workspace_symbol_async(t.WorkspaceSymbolParams(query="earthq"))
    assert [s.name for s in syms] == ["Earthquake"]


# Code actions -----------------------------------------------------------

async def test_add_actor_stub_goes_into_the_actors_file(client):
    open_doc(client, "events.yaml")
    ds = await published(client, "events.yaml", lambda ds: len(ds) > 0)
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=uri("events.yaml")), range=ds[0].range,
        context=t.CodeActionContext(diagnostics=ds)))
    add = actions[1]
    assert add.title == "Add actor `kishida-fumo` to actors.yaml"
    [edit] = add.edit.changes[uri("actors.yaml")]
    assert edit.range == rng(13, 0, 13, 0)
    assert edit.new_text == "  - id: kishida-fumo\n    name: Kishida Fumo\n    type: other\n"
    # Applied in the editor, the actor exists and the error is gone.
    open_doc(client, "actors.yaml")
    change(client, "actors.yaml", apply(TEXT["actors.yaml"], [edit]))
    assert await published(client, "events.yaml", lambda ds: len(ds) == 0) == ()
    assert not (DIR / "actors.yaml").read_text().count("kishida-fumo\n"), "the server wrote no file"


async def test_a_human_date_is_rewritten_as_edtf(client):
    text = TEXT["events.yaml"].replace("date: 2024-01-01", "date: early March 2018")
    open_doc(client, "events.yaml", text)
    ds = await published(client, "events.yaml", lambda ds: any(d.code == "invalid-date" for d in ds))
    date = next(d for d in ds if d.code == "invalid-date")
    assert date.range == rng(2, 10, 2, 26)
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=uri("events.yaml")), range=date.range,
        context=t.CodeActionContext(diagnostics=[date])))
    [edtf] = actions
    assert edtf.title == "Write this date as EDTF: [2018-03-01..2018-03-10]"
    change(client, "events.yaml", apply(text, edtf.edit.changes[uri("events.yaml")]))
    ds = await published(client, "events.yaml", lambda ds: not any(d.code == "invalid-date" for d in ds))
    assert [d.code for d in ds] == ["unknown-actor"]


# Rename -----------------------------------------------------------------

async def test_rename_of_an_actor_is_one_edit_across_files(client):
    open_doc(client, "events.yaml")
    await published(client, "events.yaml")
    edit = await client.text_document_rename_async(t.RenameParams(
        **pos("events.yaml", 5, 15), new_name="nippon"))
    assert sorted(edit.changes) == [uri("actors.yaml"), uri("events.yaml")]
    assert [(e.range, e.new_text) for e in edit.changes[uri("events.yaml")]] == [
        (rng(5, 13, 5, 18), "nippon")]
    # The definition, the old id kept as an alias (as `annals rename`
    # does), and `member_of: [japan]`.
    assert [(e.range, e.new_text) for e in edit.changes[uri("actors.yaml")]] == [
        (rng(5, 8, 5, 13), "nippon"),
        (rng(8, 0, 8, 0), "    aliases:\n      - japan\n"),
        (rng(12, 16, 12, 21), "nippon")]
    # Applied in the editor: every reference finds the new id, the record
    # checks as before (only the misspelt actor it had; the server sends
    # only diagnostics that changed, so none come), and the server wrote
    # nothing to the disk.
    open_doc(client, "actors.yaml")
    await published(client, "actors.yaml")
    for name in ("actors.yaml", "events.yaml"):
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri(name), version=2),
            content_changes=[t.TextDocumentContentChangeWholeDocument(
                text=apply(TEXT[name], edit.changes[uri(name)]))]))
    found = await client.text_document_references_async(t.ReferenceParams(
        **pos("events.yaml", 5, 15), context=t.ReferenceContext(include_declaration=True)))
    assert [(l.uri.rsplit("/", 1)[1], l.range) for l in found] == [
        ("actors.yaml", rng(5, 8, 5, 14)),
        ("actors.yaml", rng(14, 16, 14, 22)),
        ("events.yaml", rng(5, 13, 5, 19))]
    ds = client.diagnostics[uri("events.yaml")]
    assert [(d.code, d.range) for d in ds] == [("unknown-actor", rng(12, 16, 12, 28))]
    assert client.diagnostics[uri("actors.yaml")] == ()
    assert (DIR / "actors.yaml").read_text() == TEXT["actors.yaml"], "the server wrote no file"


async def test_prepare_rename_on_an_id(client):
    open_doc(client, "actors.yaml")
    found = await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        **pos("actors.yaml", 12, 18)))
    assert found == t.PrepareRenamePlaceholder(range=rng(12, 16, 12, 21), placeholder="japan")


async def test_prepare_rename_refuses_what_is_not_an_id(client):
    open_doc(client, "events.yaml")
    # A title, a date.
    for line, character in [(4, 14), (2, 12)]:
        with pytest.raises(JsonRpcException) as e:
            await client.text_document_prepare_rename_async(t.PrepareRenameParams(
                **pos("events.yaml", line, character)))
        assert "annals renames ids only" in str(e.value)


async def test_rename_refuses_an_invalid_or_taken_id(client):
    open_doc(client, "events.yaml")
    with pytest.raises(JsonRpcException) as e:
        await client.text_document_rename_async(t.RenameParams(
            **pos("events.yaml", 5, 15), new_name="Nippon"))
    assert "`Nippon` is not a valid id" in str(e.value)
    with pytest.raises(JsonRpcException) as e:
        await client.text_document_rename_async(t.RenameParams(
            **pos("events.yaml", 5, 15), new_name="kishida-fumio"))
    assert "the actor id `kishida-fumio` is already taken" in str(e.value)
