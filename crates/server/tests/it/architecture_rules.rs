//! Rules of the architecture that a test keeps, read from the source and the
//! running registry: every domain event has a subscriber, and the event list
//! in `docs/architecture.md` is the true one.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

/// Every `.rs` file under `dir` (also the source rules in `sqlite_contention`).
pub(crate) fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `impl Event for X { const NAME: &'static str = "…"; }` in the crates' sources.
fn declared_events() -> Vec<String> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for krate in std::fs::read_dir(crates).unwrap().flatten() {
        let src = krate.path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    let mut names = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for block in text.split("impl Event for ").skip(1) {
            let name = block.split("const NAME: &'static str = \"").nth(1).and_then(|rest| rest.split('"').next());
            names.push(name.unwrap_or_else(|| panic!("an Event in {} without a NAME", file.display())).to_string());
        }
    }
    names.sort();
    names
}

/// The rows of the table in `docs/architecture.md` whose header is `header`,
/// each as its cells (the text between the `|`s, trimmed).
fn doc_table(header: &str) -> Vec<Vec<String>> {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/architecture.md");
    let text = std::fs::read_to_string(doc).unwrap();
    let table = text.split(header).nth(1).unwrap_or_else(|| panic!("no table `{header}` in docs/architecture.md"));
    table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|row| row.split('|').map(|cell| cell.trim().to_string()).collect())
        .collect()
}

/// The names in backticks in a table cell.
fn ticked(cell: &str) -> Vec<String> {
    cell.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// The "Every event" table of `docs/architecture.md`: event → observing job kinds.
fn documented_events() -> BTreeMap<String, Vec<String>> {
    doc_table("| event | published by | observed by |")
        .into_iter()
        .map(|cells| {
            let mut kinds = ticked(&cells[3]);
            kinds.sort();
            (ticked(&cells[1]).remove(0), kinds)
        })
        .collect()
}

#[test]
fn every_event_has_a_subscriber_and_the_docs_list_them_all() {
    let registry = lyceum::job_registry();
    let subscribed: BTreeMap<String, Vec<String>> = registry
        .subscriptions()
        .into_iter()
        .map(|(event, kinds)| {
            let mut kinds: Vec<String> = kinds.into_iter().map(str::to_string).collect();
            kinds.sort();
            (event.to_string(), kinds)
        })
        .collect();
    let declared = declared_events();
    let without: Vec<&String> = declared.iter().filter(|e| !subscribed.contains_key(*e)).collect();
    assert!(without.is_empty(), "events published with no subscriber: {without:?}");
    assert_eq!(declared, subscribed.keys().cloned().collect::<Vec<_>>(), "a subscription to an undeclared event");
    assert_eq!(documented_events(), subscribed, "docs/architecture.md's event table differs from the registry");
}

/// The "Who owns which table" map of `docs/architecture.md`, in its row order:
/// (crate, module, tables).
fn ownership_map() -> Vec<(String, String, Vec<String>)> {
    doc_table("| crate | module | tables |")
        .into_iter()
        .map(|cells| (ticked(&cells[1]).remove(0), cells[2].clone(), ticked(&cells[3])))
        .collect()
}

/// Every table the migrations and the crates' sources create.
fn created_tables() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut texts: Vec<String> = std::fs::read_dir(root.join("migrations"))
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let mut files = Vec::new();
    for krate in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
        let src = krate.path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    texts.extend(files.iter().map(|f| std::fs::read_to_string(f).unwrap()));
    let mut tables = Vec::new();
    for text in texts {
        for part in text.split("CREATE ").skip(1) {
            let words: Vec<&str> = part.split_whitespace().take(6).collect();
            let Some(at) = words.iter().position(|w| *w == "TABLE") else { continue };
            let rest = &words[at + 1..];
            let name = if rest.starts_with(&["IF", "NOT", "EXISTS"]) { rest.get(3) } else { rest.first() };
            if let Some(name) = name {
                tables.push(name.trim_end_matches('(').to_string());
            }
        }
    }
    tables.retain(|t| !t.ends_with("_rebuilt") && t.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
    tables.sort();
    tables.dedup();
    tables
}

/// A crate's source with line comments removed (doc comments name other
/// modules' tables freely; only code counts).
fn code_of(crate_dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&crate_dir.join("src"), &mut files);
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            let code: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
            (f, code.join("\n"))
        })
        .collect()
}

/// The tables a piece of SQL names after FROM, JOIN, INTO, UPDATE or TABLE.
fn tables_named(code: &str, known: &[String]) -> Vec<String> {
    let words: Vec<&str> = code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).collect();
    let mut named = Vec::new();
    for pair in words.windows(2) {
        if ["FROM", "JOIN", "INTO", "UPDATE", "TABLE"].contains(&pair[0]) && known.iter().any(|t| t == pair[1]) {
            named.push(pair[1].to_string());
        }
    }
    named
}

#[test]
fn every_table_has_one_owner_and_a_crate_names_only_its_modules_tables() {
    let map = ownership_map();
    let owner: BTreeMap<String, String> =
        map.iter().flat_map(|(_, module, tables)| tables.iter().map(move |t| (t.clone(), module.clone()))).collect();
    let listed: Vec<&String> = map.iter().flat_map(|(_, _, tables)| tables).collect();
    assert_eq!(listed.len(), owner.len(), "a table is listed twice in the ownership map");
    let created = created_tables();
    let unowned: Vec<&String> = created.iter().filter(|t| !owner.contains_key(*t)).collect();
    assert!(unowned.is_empty(), "tables with no owner in docs/architecture.md: {unowned:?}");
    let known: Vec<String> = owner.keys().cloned().collect();

    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut violations = Vec::new();
    for (krate, module, _) in &map {
        let dir = crates.join(krate.trim_start_matches("lyceum-"));
        assert!(dir.is_dir(), "no crate folder for {krate}");
        for (file, code) in code_of(&dir) {
            for table in tables_named(&code, &known) {
                if owner[&table] != *module {
                    violations.push(format!("{}: `{table}` (owned by {})", file.display(), owner[&table]));
                }
            }
        }
    }
    violations.sort();
    violations.dedup();
    assert!(violations.is_empty(), "SQL naming another module's table:\n{}", violations.join("\n"));
}

#[test]
fn a_crate_depends_only_on_crates_below_it() {
    let map = ownership_map();
    let layer: BTreeMap<&str, usize> = map.iter().enumerate().map(|(i, (krate, _, _))| (krate.as_str(), i)).collect();
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut wrong = Vec::new();
    for (krate, _, _) in &map {
        let manifest =
            std::fs::read_to_string(crates.join(krate.trim_start_matches("lyceum-")).join("Cargo.toml")).unwrap();
        let deps = manifest.split("[dependencies]").nth(1).unwrap_or("");
        let deps = deps.split("\n[").next().unwrap_or("");
        for line in deps.lines() {
            let name = line.split(['.', '=', ' ']).next().unwrap_or("").trim();
            if let Some(&at) = layer.get(name)
                && at >= layer[krate.as_str()]
            {
                wrong.push(format!("{krate} depends on {name}, which is not above it"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Outside the HTTP edge, code tells failures apart by their type — the
/// module's error enum (`AccountError`, `EnrollError`, `jobs::admin::AdminError`…),
/// or an `Option` for a lookup — never by comparing an `AppError`'s HTTP status
/// or problem kind: a status says how a refusal is shown, not what it is.
/// The edge (`platform/src/http/`, `platform/src/error*`) is where both are made.
#[test]
fn no_code_outside_the_http_edge_compares_error_statuses_or_kinds() {
    /// `e.status == StatusCode::GONE`, `e.status != 404`, `status == 404`,
    /// `StatusCode::NOT_FOUND == e.status`, `e.kind == "course-full"`,
    /// `matches!(e.status, …)`, `e.status.as_u16()`. A field compared with a
    /// string literal (`self.status == "active"`) is a domain state, not HTTP.
    fn compares_status_or_kind(line: &str) -> bool {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let after = |pattern: &str| -> Vec<String> {
            line.match_indices(pattern).map(|(at, _)| line[at + pattern.len()..].to_string()).collect()
        };
        ["==", "!="].iter().any(|op| {
            after(&format!(".status {op} ")).iter().any(|rest| !rest.starts_with('"'))
                || after(&format!("status {op} ")).iter().any(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                || after(&format!(" {op} ")).iter().any(|rest| {
                    rest.split([' ', ')', ',', ';']).next().is_some_and(|operand| operand.ends_with(".status"))
                })
                || line.contains(&format!(".kind {op} "))
                || after(&format!("kind {op} ")).iter().any(|rest| rest.starts_with('"'))
        }) || line.contains(".status.as_u16()")
            // A problem kind is a `&'static str` matched by value; `match &e.kind`
            // is some other library's enum (figment's error kind).
            || (line.starts_with("match ") && line.ends_with(".kind {") && !line.contains('&'))
            || (line.contains("matches!(") && (line.contains(".status,") || line.contains(".kind,")))
    }

    // The scan itself: what it must catch, and what it must leave alone.
    for caught in [
        "Err(e) if e.status == StatusCode::GONE => expired(page),",
        "if e.status != 404 {",
        "if StatusCode::NOT_FOUND == source.status {",
        "Err(e) if e.kind == \"payment-required\" => {",
        "if matches!(e.status, StatusCode::CONFLICT) {",
        "let unverified = kind == \"email-unverified\";",
        "match r.kind {",
    ] {
        assert!(compares_status_or_kind(caught), "not caught: {caught}");
    }
    for fine in [
        "self.status == \"active\"",
        "Some(x) if response.status() != StatusCode::METHOD_NOT_ALLOWED => {",
        "assert_eq!(e.status, StatusCode::GONE);",
        "p.kind.id == kind.id",
        "match &e.kind {",
    ] {
        assert!(!compares_status_or_kind(fine), "caught: {fine}");
    }

    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let platform_src = crates.join("platform/src");
    let at_the_edge = |file: &Path| {
        file.strip_prefix(&platform_src).is_ok_and(|rel| {
            let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
            first.is_some_and(|first| first == "http" || first.starts_with("error"))
        })
    };
    let mut files = Vec::new();
    for krate in std::fs::read_dir(crates).unwrap().flatten() {
        let src = krate.path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !at_the_edge(f)) {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if !line.trim_start().starts_with("//") && compares_status_or_kind(line) {
                let rel = file.strip_prefix(crates).unwrap().display();
                found.push(format!("crates/{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "outside the HTTP edge, match on the module's error type instead of the status or kind:\n{}",
        found.join("\n")
    );
}

/// The platform names no module, so adding one never means editing the
/// platform: no identifier, path, string or `include_str!` in
/// `crates/platform/src` is a module's name (comments may describe; code
/// may not). Words are split at `_`, `::`, `/`, `.` and camelCase humps.
#[test]
fn the_platform_names_no_module() {
    const MODULES: &[&str] = &["accounts", "profiles", "notifications", "courses", "catalog", "enrollment", "learning"];
    /// The line without its comment (a `//` not part of a `scheme://`).
    fn code(line: &str) -> &str {
        let cut = line.match_indices("//").map(|(i, _)| i).find(|&i| !line[..i].ends_with(':'));
        &line[..cut.unwrap_or(line.len())]
    }
    fn words(code: &str) -> Vec<String> {
        let mut out = Vec::new();
        for token in code.split(|c: char| !c.is_ascii_alphanumeric()) {
            let mut word = String::new();
            let mut previous_lower = false;
            for c in token.chars() {
                if c.is_ascii_uppercase() && previous_lower {
                    out.push(std::mem::take(&mut word));
                }
                previous_lower = c.is_ascii_lowercase();
                word.push(c.to_ascii_lowercase());
            }
            out.push(word);
        }
        out.retain(|w| !w.is_empty());
        out
    }
    let sample = words("lyceum_courses::x(\"/notifications/a\") UnreadNotifications");
    assert_eq!(sample, ["lyceum", "courses", "x", "notifications", "a", "unread", "notifications"]);
    assert_eq!(code("let a = \"https://x\"; // courses"), "let a = \"https://x\"; ");

    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../platform/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "platform sources not found under {}", src.display());
    let mut named = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if let Some(module) = words(code(line)).into_iter().find(|w| MODULES.contains(&w.as_str())) {
                named.push(format!("{}:{}: `{module}` in {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        named.is_empty(),
        "the platform names a module (contribute it through the module's `module()`):\n{}",
        named.join("\n")
    );
}

/// Service functions that take two or more ids take typed ids
/// (`lyceum_platform::ids`): with `course_id: &str, user_id: &str` a swapped
/// pair compiles and answers wrongly; with `&CourseId, &UserId` it is a type
/// error. Scans every `pub fn` / `pub async fn` signature (up to its `{` or
/// `;`, over several lines) in `crates/*/src/service/**`, `crates/*/src/service.rs`
/// and each crate's `lib.rs`, and counts parameters that are ids as plain
/// strings: named `id`, `*_id` or `*ids` and typed `&str`, `String`,
/// `Option<&str>`, `&[String]` or `&[&str]`.
#[test]
fn service_functions_with_several_ids_take_typed_ids() {
    /// The parameters of the signature starting at `sig` (`pub fn name<…>(…)`).
    fn params(sig: &str) -> Vec<String> {
        let Some(open) = sig.find('(') else { return Vec::new() };
        let (mut depth, mut current, mut out) = (0i32, String::new(), Vec::new());
        let mut previous = ' ';
        for c in sig[open + 1..].chars() {
            match c {
                '(' | '<' | '[' => depth += 1,
                '>' if previous == '-' => {}
                ')' | '>' | ']' if depth > 0 => depth -= 1,
                ')' => break,
                ',' if depth == 0 => {
                    out.push(std::mem::take(&mut current));
                    previous = c;
                    continue;
                }
                _ => {}
            }
            current.push(c);
            previous = c;
        }
        out.push(current);
        out.into_iter().map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|p| !p.is_empty()).collect()
    }
    fn is_plain_id(param: &str) -> bool {
        let Some((name, ty)) = param.split_once(':') else { return false };
        let (name, ty) = (name.trim().trim_start_matches("mut "), ty.trim());
        let id_name = name == "id" || name.ends_with("_id") || name.ends_with("ids");
        id_name && ["&str", "String", "Option<&str>", "&[String]", "&[&str]"].contains(&ty)
    }
    /// `name: params` of each public function in `text` with two or more plain-string ids.
    fn offenders(text: &str) -> Vec<String> {
        let code: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
        let code = code.join("\n");
        let mut found = Vec::new();
        for (at, _) in code.match_indices("pub ") {
            let rest = &code[at..];
            let head = rest.strip_prefix("pub ").unwrap().trim_start();
            let head = head.strip_prefix("async ").unwrap_or(head).trim_start();
            let Some(head) = head.strip_prefix("fn ") else { continue };
            let end = head.find(['{', ';']).unwrap_or(head.len());
            let sig = &head[..end];
            let ids: Vec<String> = params(sig).into_iter().filter(|p| is_plain_id(p)).collect();
            if ids.len() >= 2 {
                let name: String = sig.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                found.push(format!("{name}({})", ids.join(", ")));
            }
        }
        found
    }

    // The scan itself: what it must catch, and what it must leave alone.
    for caught in [
        "pub async fn is_active(conn: &mut AnyConnection, course_id: &str, user_id: &str) -> Result<bool, AppError> {",
        "pub async fn remove(\n    state: &AppState,\n    viewer: &Viewer,\n    course_id: &str,\n    user_id: String,\n) -> R {",
        "pub async fn set_role(state: &AppState, actor_id: Option<&str>, id: &str, role: Role) -> Result<User, E> {",
        "pub fn reorder<S>(course_id: &str, ids: &[String], f: impl Fn(&str) -> bool) {",
    ] {
        assert_eq!(offenders(caught).len(), 1, "not caught: {caught}");
    }
    for fine in [
        "pub async fn is_active(conn: &mut AnyConnection, course_id: &CourseId, user_id: &UserId) -> R {",
        "pub async fn view(state: &AppState, slug: &str, lesson_id: &LessonId) -> R {",
        "pub(crate) async fn admit(state: &AppState, course_id: &str, user_id: &str) -> R {",
        "pub async fn revoke(state: &AppState, viewer: &Viewer, id: &str) -> R {",
        "// pub async fn old(course_id: &str, user_id: &str) {}",
    ] {
        assert!(offenders(fine).is_empty(), "caught: {fine}");
    }

    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for krate in std::fs::read_dir(crates).unwrap().flatten() {
        let src = krate.path().join("src");
        if src.join("service").is_dir() {
            rust_files(&src.join("service"), &mut files);
        }
        for file in ["service.rs", "lib.rs"] {
            if src.join(file).is_file() {
                files.push(src.join(file));
            }
        }
    }
    assert!(files.len() > 40, "service sources not found under {}", crates.display());
    let mut found = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(crates).unwrap().display().to_string();
        for offender in offenders(&std::fs::read_to_string(file).unwrap()) {
            found.push(format!("crates/{rel}: {offender}"));
        }
    }
    assert!(
        found.is_empty(),
        "a service function takes several ids as plain strings; take `&CourseId`, `&UserId`, … \
         (lyceum_platform::ids) so that swapping two is a compile error:\n{}",
        found.join("\n")
    );
}
