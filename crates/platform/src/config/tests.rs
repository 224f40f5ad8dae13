use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn file(contents: &str) -> tempfile::NamedTempFile {
    let f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(f.path(), contents).unwrap();
    f
}

#[test]
fn defaults_give_embedded_mode() {
    let s = Settings::load_from(Some(file("").path()), env(&[])).unwrap();
    assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
    assert!(s.database_url.expose().starts_with("sqlite://./data/lyceum.db"));
    assert_eq!(s.public_url, "http://127.0.0.1:8080");
    assert_eq!(s.mail.transport, MailTransport::File);
}

#[test]
fn environment_overrides_file_and_nested_keys_use_double_underscore() {
    let f = file("bind = \"127.0.0.1:9000\"\n[auth]\nreset_ttl_minutes = 5\n");
    let s = Settings::load_from(
        Some(f.path()),
        env(&[("LYCEUM_BIND", "0.0.0.0:7000"), ("LYCEUM_AUTH__SESSION_TTL_HOURS", "3")]),
    )
    .unwrap();
    assert_eq!(s.bind.to_string(), "0.0.0.0:7000");
    assert_eq!(s.auth.session_ttl_hours, 3);
    assert_eq!(s.auth.reset_ttl_minutes, 5);
}

#[test]
fn unrelated_lyceum_variables_are_ignored() {
    let s = Settings::load_from(
        Some(file("").path()),
        env(&[("LYCEUM_TEST_POSTGRES_URL", "postgres://x"), ("PATH", "/bin")]),
    );
    assert!(s.is_ok());
}

#[test]
fn unknown_key_in_file_names_the_key_and_the_file() {
    let f = file("bnd = \"127.0.0.1:9000\"\n");
    let err = Settings::load_from(Some(f.path()), env(&[])).unwrap_err().to_string();
    assert!(err.contains("unknown setting `bnd`"), "{err}");
    assert!(err.contains(&f.path().display().to_string()), "{err}");
}

#[test]
fn malformed_values_name_the_variable() {
    let err = Settings::load_from(Some(file("").path()), env(&[("LYCEUM_BIND", "nowhere")])).unwrap_err().to_string();
    assert!(err.contains("setting `bind` from environment variable LYCEUM_BIND"), "{err}");
    let err =
        Settings::load_from(Some(file("").path()), env(&[("LYCEUM_PUBLIC_URL", "not a url")])).unwrap_err().to_string();
    assert!(err.contains("LYCEUM_PUBLIC_URL"), "{err}");
    let err = Settings::load_from(Some(file("").path()), env(&[("LYCEUM_DATABASE_URL", "mysql://x")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("LYCEUM_DATABASE_URL"), "{err}");
}

#[test]
fn missing_config_file_is_an_error() {
    let err = Settings::load_from(Some(std::path::Path::new("/nonexistent/l.toml")), env(&[])).unwrap_err().to_string();
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn secrets_never_print() {
    let s =
        Settings::load_from(Some(file("").path()), env(&[("LYCEUM_DATABASE_URL", "postgres://u:hunter2@db/lyceum")]))
            .unwrap();
    assert!(!format!("{s:?}").contains("hunter2"));
}

#[test]
fn https_public_url_is_detected_and_trailing_slash_dropped() {
    let s =
        Settings::load_from(Some(file("").path()), env(&[("LYCEUM_PUBLIC_URL", "https://lms.example.org/")])).unwrap();
    assert!(s.is_https());
    assert_eq!(s.public_url, "https://lms.example.org");
}

#[test]
fn unknown_nested_key_is_named_with_its_table() {
    let f = file("[auth]\nsesion_ttl_hours = 3\n");
    let err = Settings::load_from(Some(f.path()), env(&[])).unwrap_err().to_string();
    assert!(err.contains("unknown setting `auth.sesion_ttl_hours`"), "{err}");
}

#[test]
fn trusted_proxies_are_parsed_and_checked() {
    let s =
        Settings::load_from(Some(file("").path()), env(&[("LYCEUM_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.5 ,::1")]))
            .unwrap();
    let nets: Vec<String> = s.trusted_proxy_nets.iter().map(|n| n.to_string()).collect();
    assert_eq!(nets, ["10.0.0.0/8", "192.168.1.5/32", "::1/128"]);
    let err = Settings::load_from(Some(file("").path()), env(&[("LYCEUM_TRUSTED_PROXIES", "10.0.0.0/8, proxy")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("LYCEUM_TRUSTED_PROXIES") && err.contains("\"proxy\""), "{err}");
}

#[test]
fn amqp_is_off_by_default_and_lyceum_amqp_url_turns_it_on() {
    let off = Settings::load_from(None, env(&[])).unwrap();
    assert!(!off.amqp.enabled());
    assert_eq!((off.amqp.prefix.as_str(), off.amqp.prefetch, off.amqp.relay_batch), ("lyceum", 16, 100));
    let on = Settings::load_from(None, env(&[("LYCEUM_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2f")])).unwrap();
    assert!(on.amqp.enabled());
    assert_eq!(on.amqp.url.expose(), "amqp://guest:guest@127.0.0.1:5672/%2f");
}

#[test]
fn nested_amqp_url_wins_over_the_alias() {
    let both = env(&[("LYCEUM_AMQP__URL", "amqp://nested"), ("LYCEUM_AMQP_URL", "amqp://alias")]);
    assert_eq!(Settings::load_from(None, both).unwrap().amqp.url.expose(), "amqp://nested");
}

#[test]
fn bad_amqp_settings_are_named() {
    let err = Settings::load_from(None, env(&[("LYCEUM_AMQP_URL", "http://rabbit")])).unwrap_err().0;
    assert!(err.contains("LYCEUM_AMQP_URL") && err.contains("amqp://"), "{err}");
    let err = Settings::load_from(None, env(&[("LYCEUM_AMQP__PREFIX", "a b")])).unwrap_err().0;
    assert!(err.contains("amqp.prefix"), "{err}");
    let err = Settings::load_from(None, env(&[("LYCEUM_AMQP__PREFETCH", "0")])).unwrap_err().0;
    assert!(err.contains("amqp.prefetch"), "{err}");
}

#[test]
fn cache_defaults_to_in_process_and_takes_redis_from_either_variable() {
    let s = Settings::load_from(Some(file("").path()), env(&[])).unwrap();
    assert!(s.cache.redis_url.is_empty());
    assert_eq!(s.cache.prefix, "lyceum:");

    let s = Settings::load_from(Some(file("").path()), env(&[("LYCEUM_REDIS_URL", "redis://a:6379")])).unwrap();
    assert_eq!(s.cache.redis_url.expose(), "redis://a:6379");

    let both = env(&[("LYCEUM_REDIS_URL", "redis://a:6379"), ("LYCEUM_CACHE__REDIS_URL", "redis://b:6379")]);
    let s = Settings::load_from(Some(file("").path()), both).unwrap();
    assert_eq!(s.cache.redis_url.expose(), "redis://b:6379", "the sectioned variable wins");

    let f = file("[cache]\nredis_url = \"redis://file:6379\"\nprefix = \"site1:\"\n");
    let s = Settings::load_from(Some(f.path()), env(&[])).unwrap();
    assert_eq!((s.cache.redis_url.expose(), s.cache.prefix.as_str()), ("redis://file:6379", "site1:"));
    assert!(!format!("{s:?}").contains("redis://file"), "the Redis URL may hold a password");
}

#[test]
fn cache_settings_are_checked() {
    let err =
        Settings::load_from(Some(file("").path()), env(&[("LYCEUM_REDIS_URL", "http://x")])).unwrap_err().to_string();
    assert!(err.contains("must start with redis:// or rediss://"), "{err}");
    let err = Settings::load_from(Some(file("").path()), env(&[("LYCEUM_CACHE__COMMAND_TIMEOUT_MS", "0")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("LYCEUM_CACHE__COMMAND_TIMEOUT_MS"), "{err}");
}

#[test]
fn storage_is_local_by_default_and_s3_is_configured_by_section_or_environment() {
    let s = Settings::load_from(Some(file("").path()), env(&[])).unwrap();
    assert_eq!(s.storage.backend, StorageBackend::Local);

    let f = file(
        "[storage]\nbackend = \"s3\"\n[storage.s3]\nbucket = \"media\"\nendpoint = \"http://127.0.0.1:9000\"\n\
         allow_http = true\naccess_key_id = \"id\"\nsecret_access_key = \"s3cr3t\"\n",
    );
    let s = Settings::load_from(Some(f.path()), env(&[("LYCEUM_STORAGE__S3__REGION", "eu-west-3")])).unwrap();
    assert_eq!(s.storage.backend, StorageBackend::S3);
    let s3 = &s.storage.s3;
    assert_eq!((s3.bucket.as_str(), s3.region.as_str(), s3.allow_http), ("media", "eu-west-3", true));
    assert!(!format!("{s:?}").contains("s3cr3t"));
}

#[test]
fn s3_settings_are_checked() {
    let load = |vars: &[(&str, &str)]| Settings::load_from(Some(file("").path()), env(vars)).unwrap_err().to_string();
    let err = load(&[("LYCEUM_STORAGE__BACKEND", "s3")]);
    assert!(err.contains("LYCEUM_STORAGE__S3__BUCKET"), "{err}");
    let err = load(&[
        ("LYCEUM_STORAGE__BACKEND", "s3"),
        ("LYCEUM_STORAGE__S3__BUCKET", "b"),
        ("LYCEUM_STORAGE__S3__ACCESS_KEY_ID", "id"),
    ]);
    assert!(err.contains("must be set together"), "{err}");
    let err = load(&[("LYCEUM_STORAGE__S3__ENDPOINT", "http://127.0.0.1:9000")]);
    assert!(err.contains("LYCEUM_STORAGE__S3__ALLOW_HTTP"), "{err}");
    let err = load(&[("LYCEUM_STORAGE__BACKEND", "ftp")]);
    assert!(err.contains("LYCEUM_STORAGE__BACKEND"), "{err}");
}

/// Two modules' sections sharing one table, as upload limits do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Widgets {
    max_bytes: usize,
    timeout_secs: u64,
}

impl Default for Widgets {
    fn default() -> Self {
        Self { max_bytes: 10, timeout_secs: 5 }
    }
}

impl Section for Widgets {
    const NAME: &'static str = "widgets";
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Gadgets {
    gadget_limit: u32,
}

impl Section for Gadgets {
    const NAME: &'static str = "widgets";
}

fn with_sections(file: Option<&std::path::Path>, vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    Settings::load_with(file, env(vars), &[SectionSpec::of::<Widgets>(), SectionSpec::of::<Gadgets>()])
}

#[test]
fn module_sections_read_the_file_and_environment_with_defaults() {
    let s = with_sections(Some(file("").path()), &[]).unwrap();
    assert_eq!(s.section::<Widgets>(), Widgets::default());
    let f = file("[widgets]\nmax_bytes = 99\ngadget_limit = 3\n");
    let s = with_sections(Some(f.path()), &[("LYCEUM_WIDGETS__TIMEOUT_SECS", "7")]).unwrap();
    assert_eq!(s.section::<Widgets>(), Widgets { max_bytes: 99, timeout_secs: 7 });
    assert_eq!(s.section::<Gadgets>().gadget_limit, 3, "two sections share the table");
    let s = with_sections(Some(f.path()), &[("LYCEUM_WIDGETS__MAX_BYTES", "5")]).unwrap();
    assert_eq!(s.section::<Widgets>().max_bytes, 5, "the environment wins over the file");
}

#[test]
fn module_section_errors_name_the_key_and_its_origin() {
    let f = file("[widgets]\nmax_byte = 99\n");
    let err = with_sections(Some(f.path()), &[]).unwrap_err().to_string();
    assert!(err.contains("unknown setting `widgets.max_byte`"), "{err}");
    assert!(err.contains(&f.path().display().to_string()), "{err}");

    let f = file("[widgets]\nmax_bytes = \"lots\"\n");
    let err = with_sections(Some(f.path()), &[]).unwrap_err().to_string();
    assert!(err.contains("setting `widgets.max_bytes`"), "{err}");
    assert!(err.contains(&f.path().display().to_string()), "{err}");

    let err = with_sections(None, &[("LYCEUM_WIDGETS__TIMEOUT_SECS", "soon")]).unwrap_err().to_string();
    assert!(
        err.contains("setting `widgets.timeout_secs` from environment variable LYCEUM_WIDGETS__TIMEOUT_SECS"),
        "{err}"
    );

    let err = with_sections(Some(file("widgets = 3\n").path()), &[]).unwrap_err().to_string();
    assert!(err.contains("setting `widgets`") && err.contains("table"), "{err}");
}

#[test]
fn a_table_no_module_declares_is_unknown() {
    let f = file("[widgets]\nmax_bytes = 99\n");
    let err = Settings::load_from(Some(f.path()), env(&[])).unwrap_err().to_string();
    assert!(err.contains("unknown setting `widgets`"), "{err}");
    // An unknown variable is ignored as before (it may belong to something else).
    assert!(Settings::load_from(None, env(&[("LYCEUM_WIDGETS__MAX_BYTES", "5")])).is_ok());
}

#[test]
fn sections_are_defaults_until_loaded_and_can_be_tweaked() {
    let mut s = Settings::default();
    assert_eq!(s.section::<Widgets>(), Widgets::default());
    s.section_mut::<Widgets>().max_bytes = 1;
    assert_eq!(s.clone().section::<Widgets>().max_bytes, 1);
}
