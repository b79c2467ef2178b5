//! What a workbook container must hold, and what it declares, checked before calamine opens it.
//! A zip without its workbook part is refused as such (never read as "no sheet"); counts a file
//! declares are never trusted for memory: calamine reserves room for an xlsx's declared number
//! of shared strings and an xls sheet's declared dimensions before reading a cell, and an
//! allocation that fails aborts the process (no `catch_unwind` can catch it). A declaration that
//! the file cannot back is refused here with a sentence. (.ods: `ods_guard`.)

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use quick_xml::events::Event;

use super::ReadError;

/// A declared shared-string count calamine may reserve without a check.
const TRUSTED_STRINGS: u64 = 1_000_000;

/// The fewest bytes one shared string takes in `sharedStrings.xml` (`<si/>`).
const MIN_SHARED_STRING_BYTES: u64 = 5;

fn open_zip(path: &Path) -> Result<zip::ZipArchive<BufReader<File>>, ReadError> {
    let file = File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| ReadError::Damaged(format!("Zip error: {e}")))
}

/// The part `name` must be in the zip.
fn require(archive: &zip::ZipArchive<BufReader<File>>, name: &str) -> Result<(), ReadError> {
    if archive.index_for_name(name).is_some() {
        Ok(())
    } else {
        Err(ReadError::MissingPart(name.to_owned()))
    }
}

/// An xlsx/xlsm (or, `binary`, an xlsb): the workbook part, and the shared-string count.
pub fn check_ooxml(path: &Path, binary: bool) -> Result<(), ReadError> {
    let mut archive = open_zip(path)?;
    if binary {
        return require(&archive, "xl/workbook.bin");
    }
    require(&archive, "xl/workbook.xml")?;
    let Ok(part) = archive.by_name("xl/sharedStrings.xml") else {
        return Ok(());
    };
    let declared = declared_strings(BufReader::new(part))?;
    // Room for a million strings is 24 MB: harmless, and not worth a second pass over the part
    // (a 50,000-row workbook declares far fewer).
    if declared <= TRUSTED_STRINGS {
        return Ok(());
    }
    // What the part really holds, counted as it streams (the zip's own size field is a
    // declaration too).
    let part = archive
        .by_name("xl/sharedStrings.xml")
        .map_err(|e| ReadError::Damaged(e.to_string()))?;
    let bytes = std::io::copy(&mut BufReader::new(part), &mut std::io::sink())
        .map_err(|e| ReadError::Damaged(format!("xl/sharedStrings.xml: {e}")))?;
    let room = bytes / MIN_SHARED_STRING_BYTES;
    if declared > room {
        return Err(ReadError::DeclaredTooMany {
            part: "xl/sharedStrings.xml".into(),
            declared,
            room,
        });
    }
    Ok(())
}

/// `uniqueCount` on the `<sst>` element, what calamine reserves room for (0 when absent;
/// `count`, the references, may rightly exceed the part's size).
fn declared_strings(input: impl BufRead) -> Result<u64, ReadError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                let n = e
                    .attributes()
                    .flatten()
                    .filter(|a| a.key.local_name().as_ref() == "uniqueCount")
                    .filter_map(|a| a.value.trim().parse::<u64>().ok())
                    .max()
                    .unwrap_or(0);
                return Ok(n);
            }
            Ok(Event::Eof) => return Ok(0),
            Ok(_) => {}
            Err(e) => return Err(ReadError::Damaged(format!("xl/sharedStrings.xml: {e}"))),
        }
        buf.clear();
    }
}

/// An .ods: its content part must be there (then `ods_guard` sizes its sheets).
pub fn check_ods(path: &Path) -> Result<(), ReadError> {
    require(&open_zip(path)?, "content.xml")
}

/// A legacy .xls: every sheet's DIMENSIONS record, read from the BIFF stream in the OLE
/// container, must fit `max_cells` (calamine reserves rows × columns cells from it).
pub fn check_xls(path: &Path, max_cells: u64) -> Result<(), ReadError> {
    let file = File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let mut cfb = cfb::CompoundFile::open(BufReader::new(file))
        .map_err(|e| ReadError::Damaged(e.to_string()))?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
        .ok_or_else(|| ReadError::MissingPart("Workbook".into()))?;
    let stream = cfb
        .open_stream(name)
        .map_err(|e| ReadError::Damaged(e.to_string()))?;
    let mut stream = BufReader::new(stream);
    let mut header = [0u8; 4];
    let mut data = vec![0u8; u16::MAX as usize];
    loop {
        match stream.read_exact(&mut header) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(ReadError::Damaged(e.to_string())),
        }
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let body = &mut data[..len];
        if stream.read_exact(body).is_err() {
            // A cut record: calamine says how the file is damaged.
            return Ok(());
        }
        if kind == 0x0200 {
            check_dimensions(body, max_cells)?;
        }
    }
}

/// DIMENSIONS: BIFF8 rows as u32 (first, last + 1), BIFF5 as u16; then the columns as u16.
fn check_dimensions(body: &[u8], max_cells: u64) -> Result<(), ReadError> {
    let u16_at = |i: usize| {
        body.get(i..i + 2)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |i: usize| {
        body.get(i..i + 4)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    let (rows, cols) = if body.len() >= 14 {
        (
            u32_at(4).zip(u32_at(0)).map(|(l, f)| l.saturating_sub(f)),
            u16_at(10).zip(u16_at(8)).map(|(l, f)| l.saturating_sub(f)),
        )
    } else {
        (
            u16_at(2).zip(u16_at(0)).map(|(l, f)| l.saturating_sub(f)),
            u16_at(6).zip(u16_at(4)).map(|(l, f)| l.saturating_sub(f)),
        )
    };
    let (rows, cols) = (rows.unwrap_or(0), cols.unwrap_or(0));
    if rows.saturating_mul(cols) > max_cells {
        return Err(ReadError::DeclaredTooLarge { rows, cols });
    }
    Ok(())
}
