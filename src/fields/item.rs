//! The item types of a record: events, actors, sources, kinds, and the
//! sources written inline in an event.

use super::table;

table! {
    /// An event's fields.
    event, "Event", "A dated event." {
        Id = "id": One(Slug) {
            required: true,
            doc: "A slug unique among events, e.g. `kim-jong-un-sympathy-message`.",
            rule: "required slug, unique among events",
            column: Some("id"),
        };
        Date = "date": One(Date) {
            required: true,
            doc: "An EDTF date: `2024-01-06`, `2024-02~`, `\"[2024-02-01..2024-02-10]\"`\n(a set must be quoted). See docs/dates.md.",
            rule: "required EDTF date; a set written without quotes is read by YAML as a list or mapping and gets an error that shows the quoted form",
            column: Some("date"),
        };
        DateText = "date_text": One(Text) {
            doc: "The source's own words for the date (\"a few days after New Year's Day\").",
            rule: "text",
            column: Some("date_text"),
        };
        Kind = "kind": One(KindId) {
            required: true,
            doc: "A built-in kind or one declared under `kinds:`.",
            rule: "required; a built-in kind or one declared in `kinds:`",
            column: Some("kind"),
        };
        Title = "title": One(Title) {
            required: true,
            doc: "One line of 1 to 200 characters.",
            rule: "required, one line, 1 to 200 characters; \"one line\" means no line feed, carriage return, vertical tab, form feed, NEL (U+0085), line separator (U+2028) or paragraph separator (U+2029)",
            column: Some("title"),
        };
        Summary = "summary": One(Text) {
            rule: "text",
            column: Some("summary"),
        };
        Status = "status": One(Status) {
            doc: "Default `occurred`.",
            rule: "`occurred` (default), `reported` (unconfirmed), `scheduled`, `cancelled`",
            column: Some("status"),
        };
        Actors = "actors": List(ActorRef) {
            required: true,
            doc: "At least one: a bare actor id (role `participant`) or `{actor, role}`.",
            rule: "required, at least one; each a bare actor id or `{actor, role}`; role `initiator`, `target`, `participant` (default) or `mentioned`",
            column: Some("actors"),
        };
        Location = "location": One(Text) {
            rule: "text",
            column: Some("location"),
        };
        Tags = "tags": List(Slug) {
            doc: "Slugs.",
            rule: "a list of slugs",
            column: Some("tags"),
        };
        Related = "related": List(Related) {
            rule: "a list of `{event, relation}`, both required; relation `responds-to`, `follows`, `part-of`, `refers-to` or `contradicts`; the event must exist and not be this one",
            column: Some("related"),
        };
        Quotes = "quotes": List(Quote) {
            rule: "a list of `{by, text}`, both required; `by` an actor id",
            column: Some("quotes"),
        };
        Sources = "sources": List(SourceRef) {
            required: true,
            doc: "At least one: a source id, `{source, locator}`, or a source written\nout inline.",
            rule: "required, at least one: a source id, `{source, locator}`, or an inline source with the fields of a source but `id` (`title` and `publisher` required) plus `locator`",
            column: Some("sources"),
        };
    }
}

table! {
    /// An actor's fields.
    actor, "Actor", "A person, state, government, organization, party, medium or group." {
        Id = "id": One(Slug) {
            required: true,
            doc: "A slug unique among actors, e.g. `kishida-fumio`.",
            rule: "required slug, unique among actors",
        };
        Name = "name": One(Name) {
            required: true,
            doc: "The name the sources use; not empty.",
            rule: "required, not empty",
        };
        Type = "type": One(ActorType) {
            required: true,
            rule: "one of `person`, `state`, `government`, `organization`, `party`, `media`, `group`, `other`",
        };
        Country = "country": One(Country) {
            doc: "ISO 3166-1 alpha-3, upper case.",
            rule: "an officially assigned ISO 3166-1 alpha-3 code, upper case (`jpn` gets \"country codes are upper case: `JPN`\")",
        };
        Aliases = "aliases": List(Text) {
            doc: "Other names a query should find the actor by.",
            rule: "a list of text",
        };
        MemberOf = "member_of": List(Slug) {
            doc: "Ids of actors this one belongs to (no cycles).",
            rule: "a list of actor ids that exist, with no cycle (A in B in A)",
        };
        Roles = "roles": List(ActorRole) {
            doc: "Titles the actor held.",
            rule: "a list of `{title, from, to}`; `title` required, `from`/`to` dates, `to` not before `from`",
        };
        Note = "note": One(Text) {
            rule: "text",
        };
    }
}

table! {
    /// A source's fields. `key`, `archived` and `type` are format 1.1
    /// (issue 17); inline sources do not take them.
    source, "Source", "A publication the events are reported in." {
        Id = "id": One(Slug) {
            required: true,
            doc: "A slug unique among sources.",
        };
        Title = "title": One(Text) {
            required: true,
        };
        Publisher = "publisher": One(Text) {
            required: true,
        };
        Author = "author": One(Authors);
        Url = "url": One(Url);
        Published = "published": One(Date);
        Accessed = "accessed": One(Date);
        Note = "note": One(Text);
        Key = "key": One(CiteKey) {
            doc: "The citation key (default: the id): letters, digits and `_`, with\n`-`, `:` or `.` inside; unique among sources.",
        };
        Archived = "archived": One(Url) {
            doc: "The URL of an archived copy, e.g. a Wayback Machine snapshot.",
        };
        Type = "type": One(SourceType) {
            doc: "What the source is; picks its CSL and BibTeX type.",
        };
    }
}

table! {
    /// The fields of a source written inline in an event: a source's
    /// without `id` and the citation fields, plus `locator`.
    inline_source, "InlineSource", "A source written out in the event: the fields of a source without `id`,\nplus `locator`." {
        Title = "title": One(Text) {
            required: true,
        };
        Publisher = "publisher": One(Text) {
            required: true,
        };
        Author = "author": One(Authors);
        Url = "url": One(Url);
        Published = "published": One(Date);
        Accessed = "accessed": One(Date);
        Note = "note": One(Text);
        Locator = "locator": One(Text) {
            doc: "Where in the source: a page, a paragraph.",
        };
    }
}

table! {
    /// A declared kind's fields.
    kind, "Kind", "An event kind beyond the built-in ones." {
        Id = "id": One(Slug) {
            required: true,
            doc: "A slug that is not a built-in kind.",
        };
        Label = "label": One(Text);
        Color = "color": One(Colour) {
            doc: "`\"#rgb\"` or `\"#rrggbb\"`, quoted (`#` starts a YAML comment). Never\nnull: `color: #b22222` unquoted reads as `color:` and a comment, which\nannals reports.",
        };
    }
}
