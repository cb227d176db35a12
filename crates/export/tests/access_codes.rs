//! Access code sheet (Zugangscodes) as PDF, parsed back.

use std::time::Instant;

use export::{AccessCodeSheet, ExportError, access_codes_pdf};

/// `n` distinct codes in the format "ACDEF-GHJKM" (letters without I, L, O).
fn codes(n: usize) -> Vec<String> {
    const ALPHABET: &[u8] = b"ACDEFGHJKMNPQRSTUVWXYZ";
    (0..n)
        .map(|i| {
            let mut x = i * 7919 + 12345;
            let mut code = String::new();
            for k in 0..10 {
                if k == 5 {
                    code.push('-');
                }
                code.push(char::from(ALPHABET[x % ALPHABET.len()]));
                x = x / ALPHABET.len() + k * 31 + i;
            }
            code
        })
        .collect()
}

fn sheet(n: usize) -> AccessCodeSheet {
    AccessCodeSheet {
        municipality: "Arnsberg".into(),
        title: "Bürgerbefragung Innenstadt 2027".into(),
        url: "https://werkstatt.example.org/beteiligung/innenstadt-2027".into(),
        valid_until: "31.03.2027".into(),
        codes: codes(n),
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("PDF text extraction");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Number of page objects (`/Type/Page`, not `/Type/Pages`).
fn page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type/Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

fn assert_tagged_german_pdf_ua(pdf: &[u8]) {
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    assert!(contains_bytes(pdf, b"/StructTreeRoot"), "no structure tree");
    assert!(contains_bytes(pdf, b"/MarkInfo"), "no MarkInfo");
    assert!(
        contains_bytes(pdf, b"/Lang(de"),
        "document language is not German"
    );
    assert!(
        contains_bytes(pdf, b"pdfuaid"),
        "no PDF/UA identification in XMP (fell back to tagged PDF)"
    );
}

#[test]
fn pdf_has_every_code_the_title_and_the_card_texts() {
    let s = sheet(11);
    let started = Instant::now();
    let pdf = access_codes_pdf(&s).expect("PDF render");
    eprintln!("11 access codes PDF: {:?}", started.elapsed());
    assert_tagged_german_pdf_ua(&pdf);
    // 11 cards, 8 per page.
    assert_eq!(page_count(&pdf), 2, "expected two pages");

    let text = pdf_text(&pdf);
    for code in &s.codes {
        assert!(
            text.contains(code.as_str()),
            "PDF text lacks {code:?}: {text}"
        );
    }
    for expected in [
        "Bürgerbefragung Innenstadt 2027",
        "Arnsberg",
        "Ihr Zugangscode",
        "https://werkstatt.example.org/beteiligung/innenstadt-2027",
        "Gültig bis 31.03.2027. Jeder Code kann einmal verwendet werden.",
        "Seite 2 von 2",
    ] {
        assert!(
            text.contains(expected),
            "PDF text lacks {expected:?}: {text}"
        );
    }
    assert_eq!(
        text.matches("Bürgerbefragung Innenstadt 2027").count(),
        11,
        "title once per card: {text}"
    );
}

#[test]
fn qr_images_have_alt_texts() {
    let s = sheet(3);
    let pdf = access_codes_pdf(&s).expect("PDF render");
    assert_tagged_german_pdf_ua(&pdf);
    // The alt text is a hex text string in UTF-16BE with byte order mark.
    for code in &s.codes {
        let alt = format!("QR-Code für die Teilnahme mit Code {code}");
        let hex: String = std::iter::once(0xFEFF)
            .chain(alt.encode_utf16())
            .map(|u| format!("{u:04X}"))
            .collect();
        assert!(
            contains_bytes(&pdf, format!("/Alt<{hex}>").as_bytes()),
            "no alt text {alt:?}"
        );
    }
    assert!(
        contains_bytes(&pdf, b"/Figure"),
        "QR codes not tagged as figures"
    );
}

#[test]
fn no_codes_renders_a_page_with_a_note() {
    let s = AccessCodeSheet {
        codes: vec![],
        ..sheet(0)
    };
    let pdf = access_codes_pdf(&s).expect("PDF render");
    assert_tagged_german_pdf_ua(&pdf);
    assert_eq!(page_count(&pdf), 1, "expected one page");
    let text = pdf_text(&pdf);
    assert!(text.contains("Keine Codes."), "{text}");
    assert!(text.contains("Bürgerbefragung Innenstadt 2027"), "{text}");

    // Entirely default, too.
    let pdf = access_codes_pdf(&AccessCodeSheet::default()).expect("default renders");
    assert!(pdf_text(&pdf).contains("Keine Codes."));
}

#[test]
fn hostile_text_is_printed_verbatim() {
    let title = r#"#set page(width: 1pt) <script>alert(1)</script> #panic("x") $x$ *a* ]"#;
    let s = AccessCodeSheet {
        municipality: "#strong[Gemeinde] \\ @ref".into(),
        title: title.into(),
        url: "https://example.org/p?a=1&b=<x>\"#frag".into(),
        valid_until: "#datetime.today()".into(),
        codes: vec!["#CODE-[X]".into(), "ABCDE-FGHJK".into()],
    };
    let pdf = access_codes_pdf(&s).expect("PDF render");
    assert_tagged_german_pdf_ua(&pdf);
    let text = pdf_text(&pdf);
    for expected in [
        title,
        "#strong[Gemeinde] \\ @ref",
        "Gültig bis #datetime.today(). Jeder Code",
        "#CODE-[X]",
        "ABCDE-FGHJK",
    ] {
        assert!(
            text.contains(expected),
            "PDF text lacks {expected:?}: {text}"
        );
    }
    // The URL may be broken across lines on the card; compare without spaces.
    let joined: String = text.split_whitespace().collect();
    assert!(
        joined.contains("https://example.org/p?a=1&b=<x>\"#frag"),
        "{text}"
    );
}

fn long_sheet() -> AccessCodeSheet {
    AccessCodeSheet {
        title: "Beteiligung zur Neugestaltung des Marktplatzes und der angrenzenden Straßen, Gassen und Plätze in der historischen Altstadt einschließlich der Grünflächen am Fluss".into(),
        url: "https://beteiligung.example.org/kommunen/arnsberg/verfahren/neugestaltung-marktplatz-altstadt-2027/umfrage".into(),
        ..sheet(2)
    }
}

#[test]
fn long_title_and_url_render() {
    let s = long_sheet();
    let pdf = access_codes_pdf(&s).expect("PDF render");
    assert_tagged_german_pdf_ua(&pdf);
    let joined: String = pdf_text(&pdf).split_whitespace().collect();
    assert!(
        joined.contains("einschließlichderGrünflächenamFluss"),
        "{joined}"
    );
}

#[test]
fn url_too_long_for_a_qr_code_is_an_error() {
    let s = AccessCodeSheet {
        url: format!("https://example.org/{}", "x".repeat(3000)),
        ..sheet(1)
    };
    let err = access_codes_pdf(&s).expect_err("no QR code holds 3000 bytes");
    assert!(matches!(err, ExportError::Pdf(_)), "{err}");
}

#[test]
fn emoji_in_the_title_falls_back_to_tagged_pdf() {
    let s = AccessCodeSheet {
        title: "Radwege 🚲".into(),
        ..sheet(2)
    };
    let pdf = access_codes_pdf(&s).expect("render with emoji");
    assert!(pdf.starts_with(b"%PDF"));
    assert!(contains_bytes(&pdf, b"/StructTreeRoot"));
    assert!(pdf_text(&pdf).contains(s.codes[1].as_str()));
}

#[test]
fn five_hundred_codes_render() {
    let s = sheet(500);
    let started = Instant::now();
    let pdf = access_codes_pdf(&s).expect("PDF with 500 codes");
    eprintln!(
        "500 access codes PDF: {:?}, {} KiB",
        started.elapsed(),
        pdf.len() / 1024
    );
    assert_tagged_german_pdf_ua(&pdf);
    assert_eq!(page_count(&pdf), 63, "500 / 8 = 63 pages");
    let text = pdf_text(&pdf);
    for code in [&s.codes[0], &s.codes[255], &s.codes[499]] {
        assert!(text.contains(code.as_str()), "PDF text lacks {code:?}");
    }
    assert!(text.contains("Seite 63 von 63"));
}

/// Writes a sample sheet to `$ACCESS_CODES_SAMPLE_DIR` for a look by eye
/// (`ACCESS_CODES_SAMPLE_DIR=/tmp cargo test -p export --test access_codes`).
#[test]
fn write_sample_when_asked() {
    let Some(dir) = std::env::var_os("ACCESS_CODES_SAMPLE_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let pdf = access_codes_pdf(&sheet(11)).expect("PDF");
    std::fs::write(dir.join("zugangscodes.pdf"), pdf).expect("write");
    let pdf = access_codes_pdf(&long_sheet()).expect("PDF");
    std::fs::write(dir.join("zugangscodes-lang.pdf"), pdf).expect("write");
    let pdf = access_codes_pdf(&sheet(0)).expect("PDF");
    std::fs::write(dir.join("zugangscodes-leer.pdf"), pdf).expect("write");
}
