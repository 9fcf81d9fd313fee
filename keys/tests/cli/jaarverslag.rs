//! The jaarverslag on a generated year of cases (and part of the year before). The
//! expected figures are counted here, from the generator's own records, with day
//! arithmetic of this file's own: nothing is taken from the report code.

use std::collections::BTreeMap;

use crate::util::*;

const SOORTEN: &[&str] = &[
    "pesten",
    "intimidatie",
    "seksuele-intimidatie",
    "agressie-en-geweld",
    "discriminatie",
    "belangenverstrengeling",
    "misbruik-bevoegdheden",
    "fraude-corruptie",
    "datalek-privacy",
    "geschenken-giften",
    "maatschappelijke-misstand",
    "overig",
];
const MELDERS: &[Option<&str>] = &[
    Some("medewerker"),
    Some("extern"),
    Some("inwoner"),
    Some("ondernemer"),
    Some("anders"),
    None,
];
const AFDOENINGEN: &[&str] = &[
    "in-behandeling",
    "gegrond",
    "deels-gegrond",
    "ongegrond",
    "doorverwezen",
    "voortijdig-beeindigd",
    "niet-ontvankelijk",
];
const KANALEN: &[&str] = &["telefoon", "e-mail", "vertrouwenspersoon", "persoonlijk"];
const ORGS: &[&str] = &["leiden", "leiderdorp"];

/// A small deterministic generator (64-bit LCG), so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Day `n` counted from 2025-01-01, as text, by walking the months.
fn day(mut n: i64) -> String {
    let mut y = 2025;
    loop {
        let leap = y % 4 == 0;
        let months = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        for (m, len) in months.iter().enumerate() {
            if n < *len {
                return format!("{y}-{:02}-{:02}", m + 1, n + 1);
            }
            n -= len;
        }
        y += 1;
    }
}

/// Today (crate::util::TODAY, 2026-11-22) as a day number from 2025-01-01.
const TODAY_N: i64 = 365 + 325;

struct Spec {
    year: i64,
    org: &'static str,
    soort: &'static str,
    melder: Option<&'static str>,
    kanaal: &'static str,
    afdoening: &'static str,
    received: i64,
    ack: Option<i64>,
    feedback: Option<i64>,
}

fn generate() -> Vec<Spec> {
    let mut rng = Rng(20261122);
    let mut out = Vec::new();
    for i in 0..260 {
        let year = if i < 60 { 2025 } else { 2026 };
        // 2026 cases up to a week before today, so some acknowledgements are still open.
        let received = if year == 2025 {
            rng.next(365) as i64
        } else {
            365 + rng.next(324) as i64
        };
        let ack = match rng.next(5) {
            0 => None,
            _ => Some(received + rng.next(15) as i64).filter(|d| *d <= TODAY_N),
        };
        // 3 months are 89 to 92 days: feedback on day 89 or before is on time, on day
        // 93 or after late; nothing in between, so no month arithmetic is needed here.
        let base = ack.unwrap_or(received + 7);
        let mut feedback = match rng.next(3) {
            0 => None,
            1 => Some(base + 10 + rng.next(80) as i64),
            _ => Some(base + 93 + rng.next(60) as i64),
        }
        .filter(|d| *d <= TODAY_N && ack.is_some());
        if feedback.is_none() && (88..=93).contains(&(TODAY_N - base)) {
            feedback = Some(base + 20).filter(|d| *d <= TODAY_N);
        }
        out.push(Spec {
            year,
            org: ORGS[rng.next(2)],
            soort: SOORTEN[rng.next(SOORTEN.len())],
            melder: MELDERS[rng.next(MELDERS.len())],
            kanaal: if rng.next(4) == 0 {
                KANALEN[rng.next(KANALEN.len())]
            } else {
                "meldpunt"
            },
            afdoening: AFDOENINGEN[rng.next(AFDOENINGEN.len())],
            received,
            ack,
            feedback,
        });
    }
    out
}

type Expected = BTreeMap<(String, String, String), [u64; 2]>;

fn expected(specs: &[Spec]) -> Expected {
    let mut e: Expected = BTreeMap::new();
    for s in specs {
        let col = (s.year - 2025) as usize;
        let group = match s.melder {
            Some("medewerker") | Some("extern") => "eigen-organisatie",
            Some("inwoner") | Some("ondernemer") => "inwoners-ondernemers",
            _ => "anders-onbekend",
        };
        let ack_due_passed = TODAY_N > s.received + 7;
        let base = s.ack.unwrap_or(s.received + 7);
        let fb_due_passed = TODAY_N - base > 92;
        for scope in ["meldpunt", s.org] {
            let mut add = |section: &str, key: &str, n: u64| {
                e.entry((scope.into(), section.into(), key.into()))
                    .or_default()[col] += n;
            };
            add("totaal", "meldingen", 1);
            add("melder", group, 1);
            add("soort", s.soort, 1);
            add("afdoening", s.afdoening, 1);
            add(
                "doorverwezen",
                "doorverwezen",
                u64::from(s.afdoening == "doorverwezen"),
            );
            add("kanaal", s.kanaal, 1);
            match s.ack {
                Some(a) => {
                    add("termijn", "ontvangstbevestiging-beoordeeld", 1);
                    add(
                        "termijn",
                        "ontvangstbevestiging-op-tijd",
                        u64::from(a - s.received <= 7),
                    );
                }
                None => add(
                    "termijn",
                    "ontvangstbevestiging-beoordeeld",
                    u64::from(ack_due_passed),
                ),
            }
            match s.feedback {
                Some(f) => {
                    add("termijn", "terugkoppeling-beoordeeld", 1);
                    add(
                        "termijn",
                        "terugkoppeling-op-tijd",
                        u64::from(f - base <= 89),
                    );
                }
                None => add(
                    "termijn",
                    "terugkoppeling-beoordeeld",
                    u64::from(fb_due_passed),
                ),
            }
        }
    }
    e
}

#[test]
fn jaarverslag_matches_independent_counts() {
    let m = Meldpunt::new();
    m.init();
    let to = m.recipient();
    let specs = generate();
    // Online cases in one bundle, in order; the others registered one by one. Case
    // numbers follow the order of creation within each year.
    let mut items = Vec::new();
    let mut numbers = vec![String::new(); specs.len()];
    let mut seq = [0; 2];
    let mut order: Vec<usize> = (0..specs.len())
        .filter(|i| specs[*i].kanaal == "meldpunt")
        .collect();
    order.extend((0..specs.len()).filter(|i| specs[*i].kanaal != "meldpunt"));
    for &i in &order {
        let s = &specs[i];
        let col = (s.year - 2025) as usize;
        seq[col] += 1;
        numbers[i] = format!("{}-{:04}", s.year, seq[col]);
    }
    for &i in order.iter().filter(|i| specs[**i].kanaal == "meldpunt") {
        let s = &specs[i];
        let r = Reporter::new();
        let mut mel = meldpunt_envelope::melding::Melding::new(
            s.org,
            s.soort,
            "Melding.",
            &r.keys.reply_recipient(),
        );
        mel.melder = s.melder.map(str::to_string);
        let mut it = item(&r, &mel, &to, &day(s.received));
        it.organisatie = Some(s.org.into());
        items.push(it);
    }
    write_file(&m.path("in.tar"), &m.inbox(&items));
    m.run(&["import", "in.tar"]).ok();
    write_file(&m.path("t.txt"), b"Telefonisch gemeld.");
    for &i in order.iter().filter(|i| specs[**i].kanaal != "meldpunt") {
        let s = &specs[i];
        let received = day(s.received);
        let mut args = vec![
            "register",
            "--kanaal",
            s.kanaal,
            "--organisatie",
            s.org,
            "--soort",
            s.soort,
            "--ontvangen",
            &received,
            "--file",
            "t.txt",
        ];
        if let Some(mel) = s.melder {
            args.extend(["--melder", mel]);
        }
        let out = m.run(&args).ok();
        assert_eq!(out.stdout, format!("Zaak {} geregistreerd.\n", numbers[i]));
    }
    for (i, s) in specs.iter().enumerate() {
        let (ack, fb) = (s.ack.map(day), s.feedback.map(day));
        let mut args = vec!["status", &numbers[i], "--afdoening", s.afdoening];
        if let Some(a) = &ack {
            args.extend(["--ontvangstbevestiging", a]);
        }
        if let Some(f) = &fb {
            args.extend(["--terugkoppeling", f]);
        }
        m.run(&args).ok();
    }

    let out = m
        .run(&[
            "jaarverslag",
            "--year",
            "2026",
            "--years",
            "2",
            "--format",
            "csv",
        ])
        .ok();
    let mut lines = out.stdout.lines();
    assert_eq!(
        lines.next().unwrap(),
        "organisatie,onderdeel,code,omschrijving,2025,2026"
    );
    let mut actual: BTreeMap<(String, String, String), [String; 2]> = BTreeMap::new();
    for line in lines {
        // The label may be quoted and hold commas; the codes and counts never do.
        let f: Vec<&str> = line.split(',').collect();
        let n = f.len();
        actual.insert(
            (f[0].into(), f[1].into(), f[2].into()),
            [f[n - 2].into(), f[n - 1].into()],
        );
    }
    let exp = expected(&specs);
    assert!(exp.len() > 60);
    for (key, counts) in &exp {
        let got = actual.get(key).unwrap_or_else(|| panic!("no row {key:?}"));
        assert_eq!(
            got,
            &[counts[0].to_string(), counts[1].to_string()],
            "{key:?}"
        );
    }
    // Rows the generator never touched are zero, never missing or made up.
    for (key, got) in &actual {
        if exp.contains_key(key) || key.2.ends_with("-procent") {
            continue;
        }
        assert_eq!(got, &["0".to_string(), "0".to_string()], "{key:?}");
    }
    let total = |y: usize| exp[&("meldpunt".into(), "totaal".into(), "meldingen".into())][y];
    assert_eq!(total(0) + total(1), 260);

    // Markdown and SVG show the same totals.
    let md = m
        .run(&["jaarverslag", "--year", "2026", "--years", "2"])
        .ok()
        .stdout;
    assert!(md.starts_with("# Jaarverslag integriteit 2026\n"));
    assert!(
        md.contains(&format!("| Meldingen | {} | {} |\n", total(0), total(1))),
        "{md}"
    );
    assert!(md.contains("## Organisatie leiderdorp"));
    let svg = m
        .run(&[
            "jaarverslag",
            "--year",
            "2026",
            "--format",
            "svg",
            "-o",
            "chart.svg",
        ])
        .ok();
    assert!(svg.stdout.starts_with("Jaarverslag 2026 geschreven naar"));
    let chart = std::fs::read_to_string(m.path("chart.svg")).unwrap();
    assert!(chart.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(chart.contains(&format!("<title>2026: {}</title>", total(1))));
    assert!(!chart.contains("href"), "the chart loads nothing");
    let en = m
        .run(&[
            "jaarverslag",
            "--year",
            "2026",
            "--lang",
            "en",
            "--organisatie",
            "leiden",
        ])
        .ok()
        .stdout;
    assert!(en.starts_with("# Integrity annual report 2026\n"));
    let out = m
        .run(&["jaarverslag", "--year", "2026", "--organisatie", "haarlem"])
        .fails();
    assert!(
        out.stderr
            .starts_with("fout: \"haarlem\" is geen geldige waarde voor organisatie\n")
    );
}
