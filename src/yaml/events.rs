//! libyaml's event stream, with byte offsets, behind a safe interface.
//!
//! `serde_yaml` reads YAML with libyaml (`libyaml-rs`, the Rust translation
//! that `serde_yaml` itself depends on) and then drops the marks that every
//! event carries. [`Events`] drives the same parser directly so that the
//! tree built from it ([`super::node`]) and the store's view of a file
//! ([`super::layout`]) keep where each node starts and ends. This is
//! annals' `unsafe` code but the allocator's calls (`malloc_trim` in
//! `load::release_freed_memory`, `mallopt` in `load::tune_allocator`):
//! libyaml-rs keeps the C API of libyaml.

use libyaml_rs as sys;
use std::borrow::Cow;
use std::mem::MaybeUninit;
use std::ptr::NonNull;

/// A place libyaml gives: a byte offset, and a line and column from 0
/// (columns in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

impl Mark {
    fn of(m: sys::yaml_mark_t) -> Self {
        Mark {
            offset: m.index as usize,
            line: m.line as usize,
            column: m.column as usize,
        }
    }

    /// libyaml leaves a mark at 0:0 when it has no line for it yet.
    pub fn has_line(self) -> bool {
        self.line != 0 || self.column != 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// One parser event. Texts borrow from the input where libyaml's value is
/// the input's bytes (most scalars), and are copied otherwise.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias {
        anchor: Vec<u8>,
    },
    Scalar {
        anchor: Option<Vec<u8>>,
        tag: Option<Vec<u8>>,
        value: Cow<'a, str>,
        style: ScalarStyle,
    },
    SequenceStart {
        anchor: Option<Vec<u8>>,
        tag: Option<Vec<u8>>,
        flow: bool,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<Vec<u8>>,
        tag: Option<Vec<u8>>,
        flow: bool,
    },
    MappingEnd,
}

/// libyaml's own failure: what and where, and what it was in the middle of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub problem: String,
    pub problem_mark: Mark,
    /// libyaml's byte offset for reader problems (bad UTF-8, control
    /// characters), found before it counts lines.
    pub problem_offset: usize,
    pub context: Option<(String, Mark)>,
}

/// The events of one input, in order.
pub struct Events<'a> {
    parser: Box<MaybeUninit<sys::yaml_parser_t>>,
    input: &'a str,
    /// Where a reader's input comes from ([`Events::from_reader`]); boxed
    /// twice so that libyaml holds a thin pointer that stays put.
    _read: Option<Box<Read<'a>>>,
    done: bool,
}

/// Fills the buffer given with the input's next bytes; 0 at its end.
pub type Read<'a> = Box<dyn FnMut(&mut [u8]) -> std::io::Result<usize> + 'a>;

impl<'a> Events<'a> {
    pub fn new(input: &'a str) -> Self {
        let mut parser = Self::parser();
        // SAFETY: the parser was initialized by `parser`. The input
        // outlives the parser: both live in `Self`, the input by borrow.
        unsafe {
            let p = parser.as_mut_ptr();
            sys::yaml_parser_set_input_string(p, input.as_ptr(), input.len() as u64);
        }
        Events {
            parser,
            input,
            _read: None,
            done: false,
        }
    }

    /// The events of an input that `read` gives a block at a time, as
    /// libyaml asks for it: a large file is never held whole. Every
    /// scalar's text is then a copy (there is no input to borrow from);
    /// a failed read ends the events with a failure.
    pub fn from_reader(read: Read<'a>) -> Self {
        let mut parser = Self::parser();
        let mut read = Box::new(read);
        // SAFETY: the parser was initialized by `parser`; the handler's
        // data points into the box, which lives (and stays put) in `Self`
        // as long as the parser does.
        unsafe {
            let p = parser.as_mut_ptr();
            let data: *mut Read<'a> = &mut *read;
            sys::yaml_parser_set_input(p, read_handler, data.cast());
        }
        Events {
            parser,
            input: "",
            _read: Some(read),
            done: false,
        }
    }

    fn parser() -> Box<MaybeUninit<sys::yaml_parser_t>> {
        let mut parser: Box<MaybeUninit<sys::yaml_parser_t>> = Box::new(MaybeUninit::uninit());
        // SAFETY: `yaml_parser_initialize` fills the whole struct (it only
        // fails when out of memory, which aborts in Rust anyway).
        unsafe {
            let p = parser.as_mut_ptr();
            if sys::yaml_parser_initialize(p).fail {
                panic!("libyaml could not allocate its parser");
            }
            sys::yaml_parser_set_encoding(p, sys::YAML_UTF8_ENCODING);
        }
        parser
    }

    /// The next event with its start and end marks, `None` after the
    /// stream's end.
    ///
    /// # Errors
    ///
    /// What libyaml refuses; no event follows an error.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<(Event<'a>, Mark, Mark), Failure>> {
        if self.done {
            return None;
        }
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialized in `new`; an event that
        // `yaml_parser_parse` filled is read once and deleted.
        unsafe {
            let p = self.parser.as_mut_ptr();
            let failed_before = (&*p).error != sys::YAML_NO_ERROR;
            if failed_before || sys::yaml_parser_parse(p, event.as_mut_ptr()).fail {
                self.done = true;
                return Some(Err(failure(p)));
            }
            let e = event.as_mut_ptr();
            let out = convert(&*e, self.input);
            let start = Mark::of((*e).start_mark);
            let end = Mark::of((*e).end_mark);
            sys::yaml_event_delete(e);
            if matches!(out, Event::StreamEnd) {
                self.done = true;
            }
            Some(Ok((out, start, end)))
        }
    }
}

impl Drop for Events<'_> {
    fn drop(&mut self) {
        // SAFETY: initialized in `new`, deleted once.
        unsafe { sys::yaml_parser_delete(self.parser.as_mut_ptr()) }
    }
}

/// libyaml's read handler for [`Events::from_reader`]: 1 when `size_read`
/// bytes (0 at the end) were put in `buffer`, 0 when the read failed.
unsafe fn read_handler(
    data: *mut std::ffi::c_void,
    buffer: *mut u8,
    size: u64,
    size_read: *mut u64,
) -> std::ffi::c_int {
    // SAFETY: `data` is the `Read` that `from_reader` boxed, alive while
    // the parser is; libyaml gives a buffer of `size` writable bytes and
    // reads nothing of it before this returns.
    unsafe {
        let read = &mut *data.cast::<Read<'_>>();
        let buf = std::slice::from_raw_parts_mut(buffer, size as usize);
        match read(buf) {
            Ok(n) => {
                *size_read = n.min(buf.len()) as u64;
                1
            }
            Err(_) => 0,
        }
    }
}

unsafe fn failure(p: *const sys::yaml_parser_t) -> Failure {
    // SAFETY: libyaml's problem and context are static C strings or null.
    unsafe {
        let p: &sys::yaml_parser_t = &*p;
        let text = |s: *const CChar| {
            NonNull::new(s.cast_mut()).map(|s| {
                std::ffi::CStr::from_ptr(s.as_ptr().cast())
                    .to_string_lossy()
                    .into_owned()
            })
        };
        Failure {
            problem: text(p.problem.cast())
                .unwrap_or_else(|| "libyaml parser failed but there is no error".into()),
            problem_mark: Mark::of(p.problem_mark),
            problem_offset: p.problem_offset as usize,
            context: text(p.context.cast()).map(|c| (c, Mark::of(p.context_mark))),
        }
    }
}

type CChar = std::ffi::c_char;

unsafe fn bytes(ptr: *const u8) -> Option<Vec<u8>> {
    // SAFETY: anchors and tags are NUL-terminated or null.
    NonNull::new(ptr.cast_mut()).map(|p| {
        unsafe { std::ffi::CStr::from_ptr(p.as_ptr().cast()) }
            .to_bytes()
            .to_vec()
    })
}

unsafe fn convert<'a>(e: &sys::yaml_event_t, input: &'a str) -> Event<'a> {
    // SAFETY: the union field read is the one `type_` names.
    unsafe {
        match e.type_ {
            sys::YAML_STREAM_START_EVENT => Event::StreamStart,
            sys::YAML_STREAM_END_EVENT => Event::StreamEnd,
            sys::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
            sys::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
            sys::YAML_ALIAS_EVENT => Event::Alias {
                anchor: bytes(e.data.alias.anchor).unwrap_or_default(),
            },
            sys::YAML_SCALAR_EVENT => {
                let s = e.data.scalar;
                let value = std::slice::from_raw_parts(s.value, s.length as usize);
                let style = match s.style {
                    sys::YAML_SINGLE_QUOTED_SCALAR_STYLE => ScalarStyle::SingleQuoted,
                    sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE => ScalarStyle::DoubleQuoted,
                    sys::YAML_LITERAL_SCALAR_STYLE => ScalarStyle::Literal,
                    sys::YAML_FOLDED_SCALAR_STYLE => ScalarStyle::Folded,
                    _ => ScalarStyle::Plain,
                };
                Event::Scalar {
                    anchor: bytes(s.anchor),
                    tag: bytes(s.tag),
                    value: borrow(value, e, input, style),
                    style,
                }
            }
            sys::YAML_SEQUENCE_START_EVENT => {
                let s = e.data.sequence_start;
                Event::SequenceStart {
                    anchor: bytes(s.anchor),
                    tag: bytes(s.tag),
                    flow: s.style == sys::YAML_FLOW_SEQUENCE_STYLE,
                }
            }
            sys::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
            sys::YAML_MAPPING_START_EVENT => {
                let s = e.data.mapping_start;
                Event::MappingStart {
                    anchor: bytes(s.anchor),
                    tag: bytes(s.tag),
                    flow: s.style == sys::YAML_FLOW_MAPPING_STYLE,
                }
            }
            sys::YAML_MAPPING_END_EVENT => Event::MappingEnd,
            // libyaml has no other events; an empty one ends nothing.
            _ => Event::StreamEnd,
        }
    }
}

/// The scalar's value, borrowed from the input when it is written there
/// as it reads (plain, or quoted without escapes or folds), as serde_yaml
/// does; copied otherwise.
fn borrow<'a>(
    value: &[u8],
    e: &sys::yaml_event_t,
    input: &'a str,
    style: ScalarStyle,
) -> Cow<'a, str> {
    let inset = match style {
        ScalarStyle::Plain => 0,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1,
        ScalarStyle::Literal | ScalarStyle::Folded => usize::MAX,
    };
    let (start, end) = (e.start_mark.index as usize, e.end_mark.index as usize);
    let repr = input.as_bytes().get(start..end).unwrap_or(&[]);
    if let Some(hi) = repr.len().checked_sub(inset) {
        if let Some(lo) = hi.checked_sub(value.len()) {
            if &repr[lo..hi] == value {
                if let Some(s) = input.get(start + lo..start + hi) {
                    return Cow::Borrowed(s);
                }
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(value).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(Event<'_>, usize, usize)> {
        let mut ev = Events::new(text);
        let mut out = Vec::new();
        while let Some(Ok((e, s, t))) = ev.next() {
            out.push((e, s.offset, t.offset));
        }
        out
    }

    #[test]
    fn marks_are_byte_offsets() {
        let ev = all("é: \"ü\"\n");
        let scalars: Vec<_> = ev
            .iter()
            .filter(|(e, ..)| matches!(e, Event::Scalar { .. }))
            .map(|(_, s, t)| (*s, *t))
            .collect();
        assert_eq!(scalars, [(0, 2), (4, 8)]);
    }

    #[test]
    fn plain_and_simple_quoted_values_borrow() {
        let ev = all("a: 'b'\nc: \"d\\te\"\n");
        let values: Vec<_> = ev
            .into_iter()
            .filter_map(|(e, ..)| match e {
                Event::Scalar { value, .. } => Some(matches!(value, Cow::Borrowed(_))),
                _ => None,
            })
            .collect();
        assert_eq!(values, [true, true, true, false]);
    }

    #[test]
    fn errors_end_the_stream() {
        let mut ev = Events::new("a: [1\n");
        let mut failed = None;
        while let Some(r) = ev.next() {
            if let Err(f) = r {
                failed = Some(f);
            }
        }
        let f = failed.unwrap();
        assert!(f.problem_mark.has_line());
        assert!(ev.next().is_none());
    }
}
