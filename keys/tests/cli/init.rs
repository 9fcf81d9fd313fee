//! `init`, key files, passphrases and the errors around them.

use std::os::unix::fs::PermissionsExt;

use sha2::{Digest, Sha256};

use crate::util::*;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn init_json_says_what_init_made() {
    let m = Meldpunt::new();
    let out = m.run(&["init", "--json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let s = |k: &str| {
        v[k].as_str()
            .unwrap_or_else(|| panic!("no {k}"))
            .to_string()
    };
    let public = std::fs::read_to_string(m.dir.join("public.txt")).unwrap();
    assert!(public.contains(&format!("recipient = \"{}\"", s("recipient"))));
    assert!(public.contains(&format!(
        "signing_public_key = \"{}\"",
        s("signing_public_key")
    )));
    assert!(s("staff_token").starts_with("mpst_"));
    assert_eq!(
        s("staff_token_sha256"),
        hex::encode(Sha256::digest(s("staff_token").as_bytes()))
    );
    assert_eq!(
        s("config"),
        format!(
            "signing_public_key = \"{}\"\nstaff_token_sha256 = [\"{}\"]\nrecipients = [\"{}\"]\n",
            s("signing_public_key"),
            s("staff_token_sha256"),
            s("recipient")
        )
    );
    assert_eq!(s("dir"), m.dir.display().to_string());
    assert_eq!(
        s("identity"),
        m.dir.join("identity.age").display().to_string()
    );
    assert_eq!(s("db"), m.dir.join("cases.db").display().to_string());
    assert!(v["recovery"].is_null() && v["server_file"].is_null());
    // Nothing else on stdout: one JSON object a script can parse.
    assert!(out.stdout.trim_end().ends_with('}'));
}

#[test]
fn init_makes_keys_and_prints_the_server_config() {
    let m = Meldpunt::new();
    let out = m.run(&["init"]).ok();
    let public = std::fs::read_to_string(m.dir.join("public.txt")).unwrap();
    let value = |key: &str| {
        let line = public
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap_or_else(|| panic!("public.txt has no {key}"));
        line.trim_matches(|c| c == '"' || c == '[' || c == ']')
            .to_string()
    };
    let staff_token = out.stdout.lines().last().unwrap().to_string();
    let init = InitOut {
        recipient: value("recipient = "),
        signing_public: value("signing_public_key = "),
        staff_hash: hex::encode(Sha256::digest(staff_token.as_bytes())),
        staff_token,
        stdout: out.stdout,
    };
    for f in ["identity.age", "signing.age", "public.txt", "cases.db"] {
        assert!(m.dir.join(f).is_file(), "{f} missing");
    }
    assert_eq!(mode(&m.dir), 0o700);
    assert_eq!(mode(&m.dir.join("identity.age")), 0o600);
    assert_eq!(mode(&m.dir.join("signing.age")), 0o600);

    // The snippet, with the random values put back as placeholders.
    let expected = "\
Sleutels van het meldpunt aangemaakt in <TMP>/Meldpunt.
  identity.age  geheime sleutel die meldingen opent (beveiligd met de wachtwoordzin)
  signing.age   geheime sleutel die reacties ondertekent (beveiligd met de wachtwoordzin)
  public.txt    publieke sleutels (niet geheim)
  cases.db      het zaakregister
Maak nu een reservekopie van deze map op een aparte USB-stick en bewaar die achter slot.

Zet dit in de configuratie van de server (meldpunt-server); de regel recipients hoort in elk
[[organisations]]-blok, één per organisatie:

signing_public_key = \"<SIGNING>\"
staff_token_sha256 = [\"<HASH>\"]
recipients = [\"<RECIPIENT>\"]

Toegangscode voor de medewerkers van de online machine (staff token). Hij wordt alleen nu getoond
en niet op deze laptop bewaard; geef hem aan wie de online machine bedient:

<TOKEN>
";
    let shown = m
        .redact(&init.stdout)
        .replace(&init.signing_public, "<SIGNING>")
        .replace(&init.staff_hash, "<HASH>")
        .replace(&init.recipient, "<RECIPIENT>")
        .replace(&init.staff_token, "<TOKEN>");
    assert_text(&shown, expected);

    // The values are what the server and the page expect.
    assert_eq!(
        init.staff_hash,
        hex::encode(Sha256::digest(init.staff_token.as_bytes()))
    );
    assert!(init.staff_token.len() > 40);
    init.signing_public
        .parse::<meldpunt_envelope::keys::SigningPublicKey>()
        .unwrap();
    assert_eq!(m.recipient().to_string(), init.recipient);
    let public = std::fs::read_to_string(m.dir.join("public.txt")).unwrap();
    assert!(public.contains(&format!("signing_public_key = \"{}\"", init.signing_public)));

    // identity.age is a standard identity file inside passphrase encryption.
    let text = m.identity_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("# created: 20") && lines[0].len() == "# created: 2026-11-22".len()
    );
    assert_eq!(lines[1], format!("# public key: {}", init.recipient));
    assert!(lines[2].starts_with("AGE-SECRET-KEY-1"));
    // The staff token is not kept anywhere on the laptop.
    for f in ["public.txt", "identity.age", "signing.age", "cases.db"] {
        let data = std::fs::read(m.dir.join(f)).unwrap();
        assert!(
            !data
                .windows(init.staff_token.len())
                .any(|w| w == init.staff_token.as_bytes())
        );
    }
}

#[test]
fn init_twice_is_refused() {
    let m = Meldpunt::new();
    m.init();
    let before = std::fs::read(m.dir.join("identity.age")).unwrap();
    let out = m.run(&["init"]).fails();
    assert_text(
        &m.redact(&out.stderr),
        "fout: in <TMP>/Meldpunt staan al meldpuntsleutels; ze worden niet overschreven\n\
         wat nu: Gebruik de bestaande sleutels, of kies met --dir een andere, lege map.\n",
    );
    assert_eq!(out.stdout, "");
    assert_eq!(std::fs::read(m.dir.join("identity.age")).unwrap(), before);
}

#[test]
fn init_in_english() {
    let m = Meldpunt::new();
    m.init();
    let out = m.run(&["--lang", "en", "init"]).fails();
    assert_text(
        &m.redact(&out.stderr),
        "error: <TMP>/Meldpunt already holds meldpunt keys; they are not overwritten\n\
         what to do: Use the existing keys, or choose another, empty folder with --dir.\n",
    );
    // The locale alone also switches to English.
    let out = crate::util::run(m.cmd().env("LANG", "en_GB.UTF-8").arg("init"), None).fails();
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
}

#[test]
fn short_passphrase_is_refused() {
    let m = Meldpunt::new();
    let out = crate::util::run(
        m.cmd().env("MELDPUNT_PASSPHRASE", "te kort").arg("init"),
        None,
    )
    .fails();
    assert_text(
        &out.stderr,
        "fout: de wachtwoordzin is te kort (minstens 12 tekens)\n\
         wat nu: Kies een langere wachtwoordzin, bijvoorbeeld vier of vijf losse woorden.\n",
    );
    assert!(!m.dir.join("identity.age").exists());
}

#[test]
fn no_terminal_and_no_passphrase_is_a_clear_error() {
    let m = Meldpunt::new();
    // setsid detaches from any controlling terminal, so /dev/tty cannot be opened
    // even when the tests run in one.
    let mut cmd = std::process::Command::new("setsid");
    cmd.arg("-w")
        .arg(env!("CARGO_BIN_EXE_meldpunt-keys"))
        .arg("init");
    for (k, v) in m.cmd().get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.env_remove("MELDPUNT_PASSPHRASE")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    let out = crate::util::run(&mut cmd, None).fails();
    assert_text(
        &out.stderr,
        "fout: de wachtwoordzin kan niet worden gevraagd: er is geen terminal en MELDPUNT_PASSPHRASE is niet gezet\n\
         wat nu: Start de opdracht in een terminal, of zet de wachtwoordzin in MELDPUNT_PASSPHRASE.\n",
    );
}

#[test]
fn wrong_passphrase_imports_nothing() {
    let m = Meldpunt::new();
    m.init();
    let r = Reporter::new();
    let bundle = m.path("inbox.tar");
    write_file(
        &bundle,
        &m.inbox(&[item(
            &r,
            &r.melding("pesten", "Hij pest."),
            &m.recipient(),
            "2026-11-22",
        )]),
    );
    let before = m.store_dump();
    let out = crate::util::run(
        m.cmd()
            .env("MELDPUNT_PASSPHRASE", "wrong horse battery")
            .args(["import", "inbox.tar"]),
        None,
    )
    .fails();
    assert_text(
        &m.redact(&out.stderr),
        "fout: de wachtwoordzin opent <TMP>/Meldpunt/identity.age niet\n\
         wat nu: Probeer het opnieuw en let op hoofdletters en spaties.\n",
    );
    assert_eq!(m.store_dump(), before);
    assert!(m.run(&["list"]).ok().stdout.starts_with("Nog geen zaken."));
}

#[test]
fn damaged_identity_is_a_clear_error() {
    let m = Meldpunt::new();
    m.init();
    let r = Reporter::new();
    write_file(
        &m.path("inbox.tar"),
        &m.inbox(&[item(
            &r,
            &r.melding("pesten", "Hij pest."),
            &m.recipient(),
            "2026-11-22",
        )]),
    );
    let path = m.dir.join("identity.age");
    let mut data = std::fs::read(&path).unwrap();
    let n = data.len();
    data[n - 5] ^= 0x40;
    std::fs::write(&path, &data).unwrap();
    let out = m.run(&["import", "inbox.tar"]).fails();
    let err = m.redact(&out.stderr);
    assert!(
        err.starts_with(
            "fout: <TMP>/Meldpunt/identity.age is beschadigd of geen meldpuntsleutel ("
        ),
        "{err}"
    );
    assert!(
        err.ends_with("\nwat nu: Zet het bestand terug uit de reservekopie van de sleutelmap.\n"),
        "{err}"
    );

    // Not an age file at all.
    std::fs::write(&path, b"AGE-SECRET-KEY-1 just kidding\n").unwrap();
    let out = m.run(&["show", "2026-0001"]).fails();
    assert!(
        out.stderr.starts_with("fout: er is geen zaak 2026-0001"),
        "{}",
        out.stderr
    );
    let out = m.run(&["import", "inbox.tar"]).fails();
    assert!(
        m.redact(&out.stderr)
            .starts_with("fout: <TMP>/Meldpunt/identity.age is beschadigd"),
        "{}",
        out.stderr
    );
}

#[test]
fn commands_before_init_say_so() {
    let m = Meldpunt::new();
    let out = m.run(&["list"]).fails();
    assert_text(
        &m.redact(&out.stderr),
        "fout: in <TMP>/Meldpunt staan geen meldpuntsleutels (identity.age ontbreekt)\n\
         wat nu: Controleer --dir (of MELDPUNT_DIR), of maak eerst sleutels met `meldpunt-keys init`.\n",
    );
}

#[test]
fn usage_errors_exit_2() {
    let m = Meldpunt::new();
    let out = m.run(&["frobnicate"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("frobnicate"));
    assert!(
        out.stderr
            .ends_with("Gebruik `meldpunt-keys --help` voor een overzicht van de opdrachten.\n")
    );
    let out = m.run(&["reply"]);
    assert_eq!(out.code, 2);
    let out = m.run(&["--lang", "en", "--help"]).ok();
    assert!(
        out.stdout
            .contains("export-replies  Write the replies not yet exported"),
        "{}",
        out.stdout
    );
    let out = m.run(&["--help"]).ok();
    assert!(
        out.stdout.contains("Opdrachten:\n  init "),
        "{}",
        out.stdout
    );
}

#[test]
fn bad_work_factor_is_refused() {
    let m = Meldpunt::new();
    let out =
        crate::util::run(m.cmd().env("MELDPUNT_SCRYPT_LOG_N", "99").arg("init"), None).fails();
    assert!(
        out.stderr
            .starts_with("fout: MELDPUNT_SCRYPT_LOG_N=\"99\" is geen getal van 1 tot en met 30")
    );
}

#[test]
fn init_writes_the_file_for_server_setup() {
    let m = Meldpunt::new();
    let file = m.path("usb/meldpunt-server-setup.toml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let out = m
        .run(&["init", "--server-file", file.to_str().unwrap()])
        .ok();
    let text = std::fs::read_to_string(&file).unwrap();
    let public = std::fs::read_to_string(m.dir.join("public.txt")).unwrap();
    let value = |t: &str, key: &str| {
        t.lines()
            .find_map(|l| l.strip_prefix(&format!("{key} = ")))
            .map(|v| {
                v.trim_matches(|c| c == '"' || c == '[' || c == ']')
                    .to_string()
            })
            .unwrap_or_else(|| panic!("no {key} in {t}"))
    };
    assert_eq!(value(&text, "format"), "meldpunt-server-setup");
    assert_eq!(value(&text, "v"), "1");
    assert_eq!(
        value(&text, "signing_public_key"),
        value(&public, "signing_public_key")
    );
    assert_eq!(value(&text, "recipients"), value(&public, "recipient"));
    let token = out.stdout.lines().find(|l| l.starts_with("mpst_")).unwrap();
    assert_eq!(
        value(&text, "staff_token_sha256"),
        hex::encode(Sha256::digest(token.as_bytes()))
    );
    assert!(!text.contains(token), "the staff token is in the file");
    assert!(
        out.stdout.contains("meldpunt-server setup"),
        "{}",
        out.stdout
    );
    assert_eq!(mode(&file), 0o644);
}

#[test]
fn init_refuses_an_existing_server_file_and_makes_no_keys() {
    let m = Meldpunt::new();
    let file = m.path("meldpunt-server-setup.toml");
    std::fs::write(&file, "al aanwezig\n").unwrap();
    let out = m
        .run(&["init", "--server-file", file.to_str().unwrap()])
        .fails();
    assert!(
        out.stderr.contains("already exists") || out.stderr.contains("bestaat al"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "al aanwezig\n");
    assert!(!m.dir.join("identity.age").exists());
}
