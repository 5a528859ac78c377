//! The row schema: one row per event, shared by the JSON, NDJSON and CSV
//! outputs (`render::records`, documented in docs/output.md). An event
//! field reaches a row through its table entry's `column`; the other
//! columns are computed (the date's bounds and label, the file and line).

/// One column of the row schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    /// Its JSON type, in words.
    pub json: &'static str,
    pub meaning: &'static str,
    /// When it is null or empty.
    pub empty_when: &'static str,
}

/// The columns, in order: the JSON objects' keys and the CSV header.
pub static ROW: &[Column] = &[
    Column {
        name: "id",
        json: "string",
        meaning: "the event's id",
        empty_when: "never",
    },
    Column {
        name: "date",
        json: "string",
        meaning: "the EDTF date exactly as written",
        empty_when: "never",
    },
    Column {
        name: "start",
        json: "string or null",
        meaning: "earliest day, ISO `YYYY-MM-DD`",
        empty_when: "the start is open (`..`) or unknown",
    },
    Column {
        name: "end",
        json: "string or null",
        meaning: "latest day, ISO `YYYY-MM-DD`",
        empty_when: "the end is open or unknown",
    },
    Column {
        name: "label",
        json: "string",
        meaning: "what the date means in words (rules below)",
        empty_when: "never",
    },
    Column {
        name: "date_text",
        json: "string or null",
        meaning: "the source's words for the date",
        empty_when: "not given",
    },
    Column {
        name: "precision",
        json: "string",
        meaning: "`time`, `day`, `month`, `season`, `subyear`, `year`, `decade`, `century`, `millennium`, `unknown`, `mixed`",
        empty_when: "never",
    },
    Column {
        name: "shape",
        json: "string",
        meaning: "`point`, `interval` (lasted the span), `one-of` (one day in the span), `all-of`",
        empty_when: "never",
    },
    Column {
        name: "qualifiers",
        json: "array of strings",
        meaning: "`uncertain`, `approximate` (in that order)",
        empty_when: "`[]` when neither",
    },
    Column {
        name: "kind",
        json: "string",
        meaning: "kind id (built in or declared)",
        empty_when: "never",
    },
    Column {
        name: "title",
        json: "string",
        meaning: "one line",
        empty_when: "never",
    },
    Column {
        name: "summary",
        json: "string or null",
        meaning: "free text; YAML's trailing line break removed",
        empty_when: "not given",
    },
    Column {
        name: "status",
        json: "string",
        meaning: "`occurred`, `reported`, `scheduled`, `cancelled`",
        empty_when: "never (default `occurred`)",
    },
    Column {
        name: "actors",
        json: "array of `{id, name, role}`",
        meaning: "in the order written; `role` is `initiator`, `target`, `participant` or `mentioned`",
        empty_when: "never empty",
    },
    Column {
        name: "sources",
        json: "array of `{id, title, publisher, url, published, locator}`",
        meaning: "`id` null for a source written inline in the event; `url`, `published` (EDTF as written), `locator` null when not given",
        empty_when: "never empty",
    },
    Column {
        name: "tags",
        json: "array of strings",
        meaning: "slugs as written",
        empty_when: "`[]`",
    },
    Column {
        name: "location",
        json: "string or null",
        meaning: "free text",
        empty_when: "not given",
    },
    Column {
        name: "related",
        json: "array of `{event, relation}`",
        meaning: "relations this event declares (`responds-to`, `follows`, `part-of`, `refers-to`, `contradicts`)",
        empty_when: "`[]`",
    },
    Column {
        name: "quotes",
        json: "array of `{by, name, text}`",
        meaning: "quotes in the order written; `by` the speaker's actor id, `name` their name",
        empty_when: "`[]`",
    },
    Column {
        name: "file",
        json: "string",
        meaning: "the file, as found under `--dir`, with `/` separators",
        empty_when: "never",
    },
    Column {
        name: "line",
        json: "number or null",
        meaning: "line (from 1) of the event's `- id:` item",
        empty_when: "the file could not be read again",
    },
];

/// The columns CSV adds, each after another: the ids of a row's actors and
/// sources beside their words.
pub static CSV_EXTRA: &[(&str, &str)] = &[("actor_ids", "actors"), ("source_ids", "sources")];

/// The CSV header: [`ROW`] with [`CSV_EXTRA`] in place.
pub fn csv_columns() -> Vec<&'static str> {
    let mut out = Vec::with_capacity(ROW.len() + CSV_EXTRA.len());
    for c in ROW {
        out.push(c.name);
        out.extend(
            CSV_EXTRA
                .iter()
                .filter(|(_, after)| *after == c.name)
                .map(|(n, _)| *n),
        );
    }
    out
}
