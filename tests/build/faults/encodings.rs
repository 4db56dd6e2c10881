//! Encodings: a BOM and CRLF or mixed line endings build the same site as LF; bytes that
//! are not UTF-8 (invalid, UTF-16, Windows-1256) fail with the byte offset and say to save
//! the file as UTF-8.

use crate::support::{Workspace, snapshot};

use super::harness::{Case, F, FRONT, FRONT_PAGE, article, build, expect};

#[test]
fn bom_crlf_and_mixed_line_endings_build_the_same_site_as_lf() {
    let lf = article(
        &format!("{FRONT}tags: [مصر, الأسواق]\nsummary:\n  - أولى\n  - ثانية\n"),
        "الفقرة الأولى\nتكملة السطر.\n\n## عنوان فرعي\n\n| أ | ب |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n",
    );
    let variants = [
        ("BOM", format!("\u{feff}{lf}")),
        ("CRLF", lf.replace('\n', "\r\n")),
        (
            "BOM + CRLF",
            format!("\u{feff}{}", lf.replace('\n', "\r\n")),
        ),
        (
            "mixed",
            lf.split('\n')
                .enumerate()
                .map(|(i, line)| format!("{line}{}", ["\r\n", "\n", "\r"][i % 3]))
                .collect::<String>()
                .trim_end_matches(['\r', '\n'])
                .to_string()
                + "\n",
        ),
    ];
    let ws = Workspace::minimal_with(F, &lf);
    let reference_out = ws.path().join("out-lf");
    build(&ws.site(), &reference_out).assert_succeeded();
    let reference = snapshot(&reference_out);
    assert!(reference_out.join(FRONT_PAGE).is_file());
    for (i, (name, text)) in variants.iter().enumerate() {
        ws.write(F, text);
        let out = ws.path().join(format!("out-{i}"));
        build(&ws.site(), &out).assert_succeeded();
        let page = std::fs::read(out.join(FRONT_PAGE)).unwrap();
        assert!(
            page == std::fs::read(reference_out.join(FRONT_PAGE)).unwrap(),
            "{name}: the article page differs from the LF build"
        );
        assert!(
            snapshot(&out) == reference,
            "{name}: the site differs from the LF build"
        );
    }
}

#[test]
fn invalid_utf8_names_the_byte_offset_and_says_save_as_utf8() {
    let mut bytes = article(FRONT, "نص سليم\nثم بايت تالف: ").into_bytes();
    let offset = bytes.len();
    bytes.extend_from_slice(b"\xff\xfe tail\n");
    let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
    let case = Case::new();
    case.write(F, &bytes);
    let stderr = case.fails();
    expect(
        &stderr,
        &[
            &format!("{F}:{line}:"),
            "UTF-8",
            &format!("byte offset {offset}"),
        ],
    );
}

#[test]
fn utf16_with_bom_says_save_as_utf8() {
    let text = article(FRONT, "نص.\n");
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (name, bytes) in [("UTF-16LE", le), ("UTF-16BE", be)] {
        let case = Case::new();
        case.write(F, &bytes);
        let stderr = case.fails();
        expect(&stderr, &[F, "UTF-16", "UTF-8"]);
        // Was a bug: the issue asks for the byte offset with every encoding error; UTF-16 gets none:
        //   error: content/articles/f.md: the file is UTF-16, not UTF-8
        //     help: open it in your editor and save it with the encoding "UTF-8"
        assert!(
            stderr.contains("byte offset 0"),
            "{name}: the error must give the byte offset:\n{stderr}"
        );
    }
}

#[test]
fn windows_1256_says_save_as_utf8_with_the_byte_offset() {
    // «عنوان» in Windows-1256, as an old Arabic Windows editor saves it.
    let mut bytes = b"---\ntitle: ".to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(&[0xDA, 0xE4, 0xE6, 0xC7, 0xE4]);
    bytes.extend_from_slice(b"\ndate: 2026-01-01\nauthor: sara-ali\ncategory: security\n---\n");
    let case = Case::new();
    case.write(F, &bytes);
    let stderr = case.fails();
    expect(
        &stderr,
        &[
            &format!("{F}:2:"),
            "UTF-8",
            &format!("byte offset {offset}"),
            "Windows-1256",
        ],
    );
}
