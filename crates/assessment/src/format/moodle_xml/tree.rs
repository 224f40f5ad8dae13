//! The XML read into a small element tree with line numbers: Moodle XML is
//! element-only (text lives in `<text>` children), so this is all the
//! mapping needs, and it keeps quick-xml's event API in one place.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

#[derive(Debug, Default)]
pub(super) struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    /// The line of the element's start tag, from 1.
    pub line: usize,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The trimmed text of a child element (`<single>true</single>`).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    /// The text of a child's `<text>` (`<name><text>…</text></name>`).
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)?.child("text").map(|t| t.text.as_str())
    }

    /// Every element below this one (depth first), for collecting `<file>`s.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut found = Vec::new();
        for child in &self.children {
            found.push(child);
            found.extend(child.descendants());
        }
        found
    }
}

/// The document's root (its children are the top elements) and, when the
/// XML broke off, where and why: the root then holds what was read whole
/// before the break.
pub(super) struct Document {
    pub root: Element,
    pub broken: Option<(usize, String)>,
}

pub(super) fn read(xml: &str) -> Document {
    let mut reader = Reader::from_str(xml);
    let mut lines = Lines { xml, position: 0, line: 1 };
    let mut stack = vec![Element::default()];
    loop {
        let event = reader.read_event();
        let line = lines.at(reader.buffer_position());
        let result = match event {
            Ok(Event::Start(start)) => open(&start, line).map(|e| stack.push(e)),
            Ok(Event::Empty(start)) => open(&start, line).map(|e| attach(&mut stack, e)),
            Ok(Event::End(_)) if stack.len() > 1 => {
                let done = stack.pop().unwrap_or_default();
                attach(&mut stack, done);
                Ok(())
            }
            Ok(Event::End(_)) => Err("a closing tag closes nothing".to_owned()),
            Ok(Event::Text(text)) => {
                text.xml10_content().map(|t| top(&mut stack).text.push_str(&t)).map_err(|e| e.to_string())
            }
            Ok(Event::CData(data)) => {
                data.decode().map(|t| top(&mut stack).text.push_str(&t)).map_err(|e| e.to_string())
            }
            Ok(Event::GeneralRef(reference)) => reference_text(&reference).map(|t| top(&mut stack).text.push_str(&t)),
            Ok(Event::Eof) if stack.len() == 1 => {
                return Document { root: stack.pop().unwrap_or_default(), broken: None };
            }
            Ok(Event::Eof) => Err(format!("the document ends inside <{}>", top(&mut stack).name)),
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(message) = result {
            let line = match reader.error_position() {
                0 => line,
                position => lines.at(position),
            };
            return Document { root: salvage(stack), broken: Some((line, format!("the XML is broken: {message}"))) };
        }
    }
}

/// Line numbers of positions met in increasing order, counted once
/// (a Moodle export with embedded files runs to megabytes). Counted in
/// bytes: an error position may fall inside a character.
struct Lines<'a> {
    xml: &'a str,
    position: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, position: u64) -> usize {
        let end = usize::try_from(position).unwrap_or(usize::MAX).min(self.xml.len());
        if end < self.position {
            self.position = 0;
            self.line = 1;
        }
        let newlines = self.xml.as_bytes()[self.position..end].iter().filter(|&&b| b == b'\n').count();
        self.line += newlines;
        self.position = end;
        self.line
    }
}

fn open(start: &BytesStart, line: usize) -> Result<Element, String> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let attributes = start
        .attributes()
        .map(|a| {
            let a = a.map_err(|e| e.to_string())?;
            let value = a.normalized_value(XmlVersion::Implicit1_0).map_err(|e| e.to_string())?;
            Ok((String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned(), value.into_owned()))
        })
        .collect::<Result<_, String>>()?;
    Ok(Element { name, attributes, line, ..Element::default() })
}

fn reference_text(reference: &quick_xml::events::BytesRef) -> Result<String, String> {
    if let Some(c) = reference.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c.to_string());
    }
    let name = reference.decode().map_err(|e| e.to_string())?;
    resolve_predefined_entity(&name).map(str::to_owned).ok_or_else(|| format!("unknown entity &{name};"))
}

fn top(stack: &mut [Element]) -> &mut Element {
    let last = stack.len() - 1;
    &mut stack[last]
}

fn attach(stack: &mut [Element], element: Element) {
    top(stack).children.push(element);
}

/// Keeps the whole questions read before the break: elements still open at
/// depth two and below are dropped, the `<quiz>` itself kept.
fn salvage(mut stack: Vec<Element>) -> Element {
    stack.truncate(2);
    if stack.len() == 2 {
        let quiz = stack.pop().unwrap_or_default();
        attach(&mut stack, quiz);
    }
    stack.pop().unwrap_or_default()
}
