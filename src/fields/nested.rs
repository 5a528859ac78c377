//! The small mappings inside items, and a file's top level.

use super::table;

table! {
    /// The top-level keys of a file (the JSON Schema's `RecordFile`).
    top, "RecordFile", "A record file of annals (format version 1): any of the lists `events`,\n`actors`, `sources` and `kinds`. An empty file is allowed. See\ndocs/format.md." {
        Events = "events": List(Event) {
            doc: "Dated events. `events:` with nothing after it is an empty list.",
        };
        Actors = "actors": List(Actor) {
            doc: "People, states, governments, organizations, media and groups.",
        };
        Sources = "sources": List(Source) {
            doc: "Publications the events are reported in.",
        };
        Kinds = "kinds": List(Kind) {
            doc: "Event kinds beyond the built-in ones.",
        };
        Settings = "settings": One(Settings) {
            doc: "Record-wide settings; each setting in at most one file.",
        };
    }
}

table! {
    /// The record's settings (`settings:`), each written in at most one file.
    settings, "Settings", "Record-wide settings (docs/format.md)." {
        WarnUnarchived = "warn-unarchived": One(Bool) {
            doc: "Warn about an online source with neither `archived:` nor `accessed:`\n(default true).",
        };
    }
}

table! {
    /// An actor reference with its role.
    actor_ref, "ActorWithRole", "An actor id with its role in the event." {
        Actor = "actor": One(Slug) {
            required: true,
        };
        Role = "role": One(Role) {
            doc: "Default `participant`.",
        };
    }
}

table! {
    /// A cited source id with its locator.
    source_ref, "CitedSource", "A source id and the place in it, e.g. `{source: kcna-2024-01-06, locator: \"para. 2\"}`." {
        Source = "source": One(Slug) {
            required: true,
        };
        Locator = "locator": One(Text) {
            doc: "Where in the source: a page, a paragraph.",
        };
    }
}

table! {
    /// A related-event entry.
    related, "Related", "How an event relates to another." {
        Event = "event": One(Slug) {
            required: true,
            doc: "The other event's id.",
        };
        Relation = "relation": One(Relation) {
            required: true,
        };
    }
}

table! {
    /// A quote.
    quote, "Quote", "Words an actor said or wrote." {
        By = "by": One(Slug) {
            required: true,
            doc: "The speaker's actor id.",
        };
        Text = "text": One(Text) {
            required: true,
        };
    }
}

table! {
    /// A role an actor held.
    role, "ActorRole", "A title an actor held, such as \"Prime Minister of Japan\"." {
        Title = "title": One(Text) {
            required: true,
        };
        From = "from": One(Date);
        To = "to": One(Date) {
            doc: "Not before `from`.",
        };
    }
}
