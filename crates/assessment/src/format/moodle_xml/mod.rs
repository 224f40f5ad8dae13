//! Moodle XML, the format Moodle exports question banks in
//! (<https://docs.moodle.org/en/Moodle_XML_format>), embedded files included.

mod export;
mod kinds;
mod parse;
mod tree;

pub use export::{plugin_file_refs, to_moodle_xml, to_moodle_xml_with_files};
pub use parse::parse;

#[cfg(test)]
mod tests;
