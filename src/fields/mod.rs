//! The fields of every mapping of the record format, declared once.
//!
//! Each item type (events, actors, sources, kinds, inline sources) and each
//! small mapping inside one (actor refs, source refs, related entries,
//! quotes, roles, settings) has one table here: every field's name, type,
//! whether it is required, its doc line, its rule in docs/format.md and its
//! column in the row schema. Everything else that names fields comes from
//! these tables or is held to them by a test:
//!
//! - the loader (`load::convert`) sorts a mapping's keys into slots by the
//!   table and reads each slot by its typed [`Key`], never by position;
//!   unknown fields and their did-you-mean come from the table;
//! - the JSON Schema (`schema`) builds each mapping's definition from it;
//! - docs/format.md's field tables and YAML examples, `add`/`import`
//!   drafts and the row schema of `render::records` are tested against it
//!   (`tests.rs`).
//!
//! Adding a field is one entry here plus its meaning: a model field and the
//! line of `load::convert` that reads it (ARCHITECTURE.md).

mod item;
mod nested;
pub mod row;

pub use item::{actor, event, inline_source, kind, source};
pub use nested::{actor_ref, quote, related, role, settings, source_ref, top};

/// One field of a mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The key as written in a file.
    pub name: &'static str,
    pub ty: Ty,
    /// A file without it is refused (`missing-field`).
    pub required: bool,
    /// One line for editors: the JSON Schema's `description` ("" for none).
    pub doc: &'static str,
    /// The field's rule in docs/format.md's field table ("" where the item
    /// has no table).
    pub rule: &'static str,
    /// The column of the row schema ([`row::ROW`], docs/output.md) that
    /// carries it, if any.
    pub column: Option<&'static str>,
}

/// A mapping's fields, in documentation order.
#[derive(Debug)]
pub struct Table {
    /// The mapping's name in the JSON Schema (`$defs`).
    pub name: &'static str,
    /// What the mapping is, for the JSON Schema.
    pub doc: &'static str,
    pub fields: &'static [Field],
}

impl Field {
    /// What an entry leaves unsaid: optional, no doc line, no rule, no
    /// column.
    pub const BLANK: Field = Field {
        name: "",
        ty: Ty::One(Val::Text),
        required: false,
        doc: "",
        rule: "",
        column: None,
    };
}

impl Table {
    /// The field names, in order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + Clone {
        self.fields.iter().map(|f| f.name)
    }

    /// The field named `name`, if the mapping has one.
    pub fn get(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A field's value: one value or a list of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    One(Val),
    /// A list; a required one needs at least one item.
    List(Val),
}

/// The kinds of value a field holds (each has its JSON Schema in `schema`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val {
    /// An id or a reference to one.
    Slug,
    Text,
    /// One line of 1 to 200 characters.
    Title,
    /// Text that is not empty.
    Name,
    /// An EDTF date (docs/dates.md).
    Date,
    /// A built-in or declared kind.
    KindId,
    Status,
    Role,
    Relation,
    ActorType,
    SourceType,
    /// ISO 3166-1 alpha-3.
    Country,
    /// An absolute http or https URL.
    Url,
    /// `#rgb` or `#rrggbb`; never null.
    Colour,
    Bool,
    /// A citation key.
    CiteKey,
    /// One author or a list of them.
    Authors,
    /// A bare actor id or an actor mapping ([`actor_ref`]).
    ActorRef,
    /// A source id, [`source_ref`] or [`inline_source`].
    SourceRef,
    /// A [`related`] entry.
    Related,
    /// A [`quote`].
    Quote,
    /// A [`role`].
    ActorRole,
    /// The items of a file's lists and its settings ([`top`]).
    Event,
    Actor,
    Source,
    Kind,
    Settings,
}

/// The typed name of one field of one table: the loader reads a mapping's
/// slots by these, so a slot cannot be read as another field's.
pub trait Key: Copy {
    /// The table the key belongs to.
    const TABLE: &'static Table;
    /// The field's index in [`Key::TABLE`].
    fn index(self) -> usize;
    /// The field's entry.
    fn field(self) -> &'static Field {
        &Self::TABLE.fields[self.index()]
    }
    /// The field's name.
    fn name(self) -> &'static str {
        self.field().name
    }
}

/// Declares one table and its [`Key`] enum, in one list so that the enum's
/// variants and the table's rows cannot fall out of step.
macro_rules! table {
    (
        $(#[$m:meta])*
        $module:ident, $def:literal, $doc:literal {
            $(
                $key:ident = $name:literal : $ty:ident($val:ident)
                    $({ $($attr:ident : $v:expr),* $(,)? })?
                ;
            )*
        }
    ) => {
        $(#[$m])*
        pub mod $module {
            #[allow(unused_imports)]
            use $crate::fields::{Field, Table, Ty, Val};

            /// The fields, by name.
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub enum Key {
                $($key),*
            }

            /// The table.
            // An entry that gives every attribute leaves `..Field::BLANK`
            // nothing to fill; the macro writes it for all.
            #[allow(clippy::needless_update)]
            pub static TABLE: Table = Table {
                name: $def,
                doc: $doc,
                fields: &[
                    $(Field {
                        name: $name,
                        ty: Ty::$ty(Val::$val),
                        $($($attr: $v,)*)?
                        ..Field::BLANK
                    }),*
                ],
            };

            impl $crate::fields::Key for Key {
                const TABLE: &'static Table = &TABLE;
                fn index(self) -> usize {
                    self as usize
                }
            }
        }
    };
}
pub(crate) use table;

/// Every table, for the tests that hold other places to them.
pub fn all() -> [&'static Table; 12] {
    [
        &top::TABLE,
        &event::TABLE,
        &actor::TABLE,
        &source::TABLE,
        &inline_source::TABLE,
        &source_ref::TABLE,
        &kind::TABLE,
        &actor_ref::TABLE,
        &related::TABLE,
        &quote::TABLE,
        &role::TABLE,
        &settings::TABLE,
    ]
}

#[cfg(test)]
mod tests;
