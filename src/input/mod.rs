//! Spreadsheets → `DesiredState` + located `Problem`s. One file per source kind (`workbook` for
//! calamine's formats, `delimited` for CSV), one shape for what they give (`sheet`), then the
//! header (`columns`), each row (`rows`) and the people (`merge`). No HTTP here.

pub mod columns;
pub mod delimited;
mod merge;
mod ods_guard;
mod parts;
mod resolve;
pub mod rows;
pub mod sheet;
mod workbook;

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::model::text::column_letters;
use crate::model::{CalendarDate, DesiredState, Location, Problem, ProblemKind};

pub use columns::{Field, HeaderAliases};
pub use resolve::{Resolution, StructureIndex, resolve_structures};
use rows::{RowOutcome, parse_row};
use sheet::{Cell, Event, RawRow};

pub use crate::model::ReadError;

/// What reading needs besides the files: validated settings, not raw flags.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Sheets to read (hidden ones included); empty = every visible sheet.
    pub sheets: Vec<String>,
    pub aliases: HeaderAliases,
    /// NRN validity depends on the date (see `model::nrn`).
    pub today: CalendarDate,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReadStats {
    pub files: usize,
    pub sheets: usize,
    pub rows: usize,
    pub invalid_rows: usize,
    pub people: usize,
    /// Files that could not be read at all: the run must not go on as if they were empty.
    pub unreadable_files: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub desired: DesiredState,
    pub problems: Vec<Problem>,
    pub stats: ReadStats,
}

/// An input path as a person gave it, expanded when it is a folder.
pub fn expand_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|f| f.is_file() && kind_of(f).is_ok() && !is_lock_file(f))
                .collect();
            inside.sort();
            out.extend(inside);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Office lock files (`~$staff.xlsx`, `.~lock.staff.ods#`) are never read.
pub fn is_lock_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with("~$") || (name.starts_with(".~lock.") && name.ends_with('#'))
}

enum Kind {
    Workbook(workbook::Kind),
    Text { prefer_tab: bool },
}

fn kind_of(path: &Path) -> Result<Kind, ReadError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    Ok(match ext.as_str() {
        "xlsx" | "xlsm" => Kind::Workbook(workbook::Kind::Xlsx),
        "xlsb" => Kind::Workbook(workbook::Kind::Xlsb),
        "xls" => Kind::Workbook(workbook::Kind::Xls),
        "ods" => Kind::Workbook(workbook::Kind::Ods),
        "csv" | "txt" => Kind::Text { prefer_tab: false },
        "tsv" | "tab" => Kind::Text { prefer_tab: true },
        _ => return Err(ReadError::Unsupported(format!(".{ext}"))),
    })
}

/// Whether `path` is read as delimited text (CSV, TSV), by its name as `read_raw` decides.
pub fn is_text(path: &Path) -> bool {
    matches!(kind_of(path), Ok(Kind::Text { .. }))
}

/// For the formats calamine reads only as whole grids (ods, xls): whether the extent of a
/// sheet's cells (ods, as its values lie) or its declared size (xls) is within `max_cells`,
/// checked before anything is loaded; `Ok` for the formats that stream. A reader with a
/// tighter bound than the staff files' (a returned review sheet) asks this first.
pub fn dense_within(path: &Path, max_cells: u64) -> Result<(), ReadError> {
    match kind_of(path) {
        Ok(Kind::Workbook(workbook::Kind::Ods)) => ods_guard::check(path, max_cells),
        Ok(Kind::Workbook(workbook::Kind::Xls)) => parts::check_xls(path, max_cells),
        _ => Ok(()),
    }
}

const CFB_MAGIC: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];

/// Reads one file into `sink`: the reader side. A sink that has read enough says so
/// (`ControlFlow::Break`) and the reading stops there; the staff files' sinks never do.
fn produce(
    path: &Path,
    location: &Location,
    sheets: &[String],
    stream: bool,
    sink: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let kind = kind_of(path)?;
    let bytes_len = std::fs::metadata(path)
        .map_err(|e| ReadError::Io(e.to_string()))?
        .len();
    if bytes_len == 0 {
        return Err(ReadError::Empty);
    }
    match kind {
        Kind::Text { prefer_tab } => {
            let bytes = std::fs::read(path).map_err(|e| ReadError::Io(e.to_string()))?;
            delimited::read(&bytes, location, prefer_tab, sink)
        }
        Kind::Workbook(k) => {
            let mut head = [0u8; 4];
            let got = std::io::Read::read(
                &mut std::fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))?,
                &mut head,
            )
            .map_err(|e| ReadError::Io(e.to_string()))?;
            // An encrypted xlsx is an OLE compound file, not a zip.
            if got == 4 && head == CFB_MAGIC && k != workbook::Kind::Xls {
                return Err(ReadError::Encrypted);
            }
            workbook::read(path, k, location, sheets, stream, sink)
        }
    }
}

/// The name of the reader thread.
pub const READER_THREAD: &str = "spreadsheet-reader";

thread_local! {
    /// Set while a reading library runs on this thread: a panic there is caught and becomes
    /// that file's `file-unreadable`, so the CLI's panic hook stays quiet about it.
    static READING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the current thread is inside a reading library (for the CLI's panic hook).
pub fn in_reader() -> bool {
    READING.with(|r| r.get())
}

/// Runs a reader, a panic in it caught and turned into `ReaderFailed` with what it said.
fn guarded<T>(f: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    READING.with(|r| r.set(true));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    READING.with(|r| r.set(false));
    out.unwrap_or_else(|panic| Err(ReadError::ReaderFailed(panic_text(panic.as_ref()))))
}

/// What a panic said, if it said it as text.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// Reads one file's sheets as raw rows into `sink`, as the staff files are read (xlsx streamed
/// in batches, ods and xls sized before calamine builds its grid, CSV sniffed and decoded), a
/// panic of a reading library caught: the reader of returned review sheets. `restart` is called
/// before each pass (a workbook whose cells are out of row order is read a second time, whole).
/// The sink returns `ControlFlow::Break` once it has read enough (a sheet past what its campaign
/// allows): the reader stops at that batch of rows instead of going on to the file's end.
pub fn read_raw(
    path: &Path,
    location: &Location,
    restart: &mut dyn FnMut(),
    sink: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let mut stream = true;
    loop {
        restart();
        match guarded(|| produce(path, location, &[], stream, sink)) {
            Err(ReadError::OutOfOrder) if stream => stream = false,
            other => return other,
        }
    }
}

/// Reads the first whole lines of a delimited text file — at most `max_bytes` of it — into
/// `sink` as `read_raw` reads a whole file (decoded, sniffed, rows numbered as Excel shows them,
/// a panic caught), and nothing after them: a reader that can tell from a file's first rows how
/// large it may be (a returned review sheet names its campaign above its header) learns it
/// without holding the rest. `Ok(false)`: not delimited text, or no line ends within
/// `max_bytes` (nothing was read into `sink`).
pub fn read_text_head(
    path: &Path,
    location: &Location,
    max_bytes: usize,
    sink: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<bool, ReadError> {
    let Ok(Kind::Text { prefer_tab }) = kind_of(path) else {
        return Ok(false);
    };
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let mut head = Vec::with_capacity(max_bytes);
    std::io::Read::read_to_end(&mut std::io::Read::take(file, max_bytes as u64), &mut head)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    let Some(end) = delimited::whole_lines(&head) else {
        return Ok(false);
    };
    let lines = head.get(..end).unwrap_or_default();
    guarded(|| delimited::read(lines, location, prefer_tab, sink)).map(|()| true)
}

/// How a file's rows are produced: `produce`, or a stand-in in tests.
type Producer = fn(
    &Path,
    &Location,
    &[String],
    bool,
    &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), ReadError>;

/// Reads one file: a reader thread (calamine or csv) hands rows to this thread batch by batch,
/// so reading and parsing use both cores and a sheet's raw cells are never all in memory. The
/// third-party parsers are fed whatever a person hands us: a panic there ends the reader thread
/// only and becomes "cannot read" that file, never a crash.
fn read_file<'o>(
    path: &Path,
    location: &Location,
    options: &'o InputOptions,
    produce: Producer,
) -> Result<FileParse<'o>, ReadError> {
    // A CSV is quick to split: handing its rows across threads costs more than it saves.
    let threaded = matches!(kind_of(path), Ok(Kind::Workbook(_)));
    let mut stream = true;
    loop {
        let mut parse = FileParse::new(options);
        let single = |parse: &mut FileParse<'o>| {
            guarded(|| {
                produce(path, location, &options.sheets, stream, &mut |e| {
                    parse.event(e);
                    // A staff file is read to its end: every row of it counts.
                    ControlFlow::Continue(())
                })
            })
        };
        let outcome = if threaded {
            std::thread::scope(|scope| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Event>(4);
                let reader = std::thread::Builder::new()
                    .name(READER_THREAD.into())
                    .spawn_scoped(scope, move || {
                        // A send fails only once the parser is gone; nothing to do then.
                        guarded(|| {
                            produce(path, location, &options.sheets, stream, &mut |e| {
                                let _ = tx.send(e);
                                ControlFlow::Continue(())
                            })
                        })
                    });
                match reader {
                    Ok(reader) => {
                        for event in rx {
                            parse.event(event);
                        }
                        reader.join().unwrap_or_else(|panic| {
                            Err(ReadError::ReaderFailed(panic_text(panic.as_ref())))
                        })
                    }
                    // No thread to be had: read on this one.
                    Err(_) => single(&mut parse),
                }
            })
        } else {
            single(&mut parse)
        };
        match outcome {
            Ok(()) => return Ok(parse),
            Err(ReadError::OutOfOrder) if stream => stream = false,
            Err(e) => return Err(e),
        }
    }
}

/// The parser side for one file. Its results are kept only if the whole file could be read:
/// a file that fails half-way contributes its "cannot read", not half its people.
struct FileParse<'o> {
    options: &'o InputOptions,
    problems: Vec<Problem>,
    records: Vec<rows::RowRecord>,
    invalid_keys: BTreeSet<crate::model::IdentityKey>,
    names: BTreeSet<String>,
    rows: usize,
    invalid_rows: usize,
    sheets_with_header: usize,
    headerless: Vec<Location>,
    sheet: Option<SheetParse>,
}

struct SheetParse {
    location: Location,
    map: Option<columns::ColumnMap>,
    width: u32,
    data_rows: usize,
    /// A1 says it is a reference sheet of a workbook proone-sync wrote (`REFERENCE_MARK`).
    reference: bool,
}

/// A1 of the reference and instruction sheets that `export` and `template` write: a sheet that
/// says so and has no header is skipped without a note (it is ours, and meant to be there).
pub const REFERENCE_MARK: &str = "proone-sync : feuille de référence, non lue";

/// A1 of an access review's decision sheet (evidence.md): `review collect` requires it, and the
/// input reader refuses such a sheet among the staff files (`review-sheet-in-inputs`).
pub const REVIEW_MARK: &str = "proone-sync : revue d'accès";

impl<'o> FileParse<'o> {
    fn new(options: &'o InputOptions) -> Self {
        FileParse {
            options,
            problems: Vec::new(),
            records: Vec::new(),
            invalid_keys: BTreeSet::new(),
            names: BTreeSet::new(),
            rows: 0,
            invalid_rows: 0,
            sheets_with_header: 0,
            headerless: Vec::new(),
            sheet: None,
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Sheet(location) => {
                self.end_sheet();
                self.sheet = Some(SheetParse {
                    location,
                    map: None,
                    width: 0,
                    data_rows: 0,
                    reference: false,
                });
            }
            Event::Rows(rows) => {
                for row in rows {
                    self.row(&row);
                }
            }
            Event::Problem(p) => self.problems.push(p),
        }
    }

    fn row(&mut self, row: &RawRow) {
        let Some(sheet) = self.sheet.as_mut() else {
            return;
        };
        if sheet.reference {
            return;
        }
        let Some(map) = &sheet.map else {
            if row.number == 1
                && matches!(row.get(0), Some(Cell::Text(t)) if t.trim() == REFERENCE_MARK)
            {
                sheet.reference = true;
                return;
            }
            if row.number == 1
                && matches!(row.get(0), Some(Cell::Text(t)) if t.trim() == REVIEW_MARK)
            {
                // A decision sheet lists who may see a structure, not who should: never staff.
                // Its refusal says why nothing is read, so no `nothing-read` besides.
                sheet.reference = true;
                self.sheets_with_header += 1;
                self.problems.push(Problem::error(
                    sheet.location.with_row(1).with_column(0),
                    ProblemKind::ReviewSheetInInputs,
                ));
                return;
            }
            // Title lines, notes and blank rows above the header are skipped.
            if let Some(map) = columns::header_of(row, &self.options.aliases) {
                note_columns(&map, &sheet.location, &mut self.problems);
                sheet.width = map.width();
                sheet.map = Some(map);
                self.sheets_with_header += 1;
            }
            return;
        };
        if row.is_blank() {
            return;
        }
        let outcome = parse_row(
            row,
            map,
            &sheet.location,
            self.options.today,
            &mut self.problems,
        );
        if matches!(outcome, RowOutcome::Blank) {
            return;
        }
        sheet.data_rows += 1;
        self.rows += 1;
        extra_cells(row, sheet.width, &sheet.location, &mut self.problems);
        match outcome {
            RowOutcome::Valid(r) => {
                self.names.extend(crate::model::name_key(
                    r.last_name.as_deref().unwrap_or(""),
                    r.first_name.as_deref().unwrap_or(""),
                ));
                self.records.push(r);
            }
            RowOutcome::Invalid(keys, name) => {
                self.invalid_rows += 1;
                self.invalid_keys.extend(keys);
                self.names.extend(name);
            }
            RowOutcome::Blank => {}
        }
    }

    fn end_sheet(&mut self) {
        let Some(sheet) = self.sheet.take() else {
            return;
        };
        match sheet.map {
            Some(map) if sheet.data_rows == 0 => self.problems.push(Problem::warning(
                sheet.location.with_row(map.header_row),
                ProblemKind::NoData,
            )),
            Some(_) => {}
            None if sheet.reference => {}
            None => self.headerless.push(sheet.location),
        }
    }

    fn finish(&mut self, location: &Location) {
        self.end_sheet();
        for l in std::mem::take(&mut self.headerless) {
            self.problems.push(Problem::note(l, ProblemKind::NoHeader));
        }
        if self.sheets_with_header == 0 {
            // Nothing at all came from a file someone asked us to read: most likely a renamed
            // column or the wrong export. Said once for the file, on top of the sheet notes.
            self.problems
                .push(Problem::warning(location.clone(), ProblemKind::NothingRead));
        }
    }
}

/// Reads every input (files, or folders of them) and merges the people. Never fails as a whole: an unreadable file is an
/// error-level problem counted in `stats.unreadable_files`.
pub fn read_inputs(paths: &[PathBuf], options: &InputOptions) -> Inputs {
    read_inputs_with(paths, options, produce)
}

fn read_inputs_with(given: &[PathBuf], options: &InputOptions, produce: Producer) -> Inputs {
    let mut problems = Vec::new();
    let mut stats = ReadStats::default();
    let mut records = Vec::new();
    let mut invalid_keys = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut files_without_people = Vec::new();
    let mut damaged_files = Vec::new();
    // A folder stands for its spreadsheets, sorted by name; one that holds none is an error at
    // the folder (a nightly run must not read "nothing" as "nobody").
    let mut paths = Vec::new();
    for p in given {
        let files = expand_paths(std::slice::from_ref(p));
        if p.is_dir() && files.is_empty() {
            stats.unreadable_files += 1;
            let at = Location::file(p.to_string_lossy().as_ref(), paths.len() as u32);
            problems.push(Problem::error(at, ProblemKind::FolderEmpty));
        }
        paths.extend(files);
    }
    for (index, path) in paths.iter().enumerate() {
        let location = Location::file(path.to_string_lossy().as_ref(), index as u32);
        if is_lock_file(path) {
            problems.push(Problem::note(location, ProblemKind::LockFileSkipped));
            continue;
        }
        stats.files += 1;
        match read_file(path, &location, options, produce) {
            Ok(mut parse) => {
                parse.finish(&location);
                stats.sheets += parse.sheets_with_header;
                stats.rows += parse.rows;
                stats.invalid_rows += parse.invalid_rows;
                if parse
                    .problems
                    .iter()
                    .any(|p| matches!(p.kind, ProblemKind::ValueControlCharacter { .. }))
                {
                    damaged_files.push(location.clone());
                }
                problems.append(&mut parse.problems);
                if parse.records.is_empty() {
                    files_without_people.push(location.clone());
                }
                records.append(&mut parse.records);
                invalid_keys.append(&mut parse.invalid_keys);
                names.append(&mut parse.names);
            }
            Err(e) => {
                stats.unreadable_files += 1;
                problems.push(Problem::error(location, ProblemKind::FileUnreadable(e)));
            }
        }
    }
    let mut merged = merge::merge(records, invalid_keys, &mut problems, options.today);
    merged.desired.names = names;
    merged.desired.files_without_people = files_without_people;
    merged.desired.damaged_files = damaged_files;
    stats.invalid_rows += merged.conflicting_rows;
    stats.people = merged.desired.people.len();
    crate::model::sort_problems(&mut problems);
    Inputs {
        desired: merged.desired,
        problems,
        stats,
    }
}

fn note_columns(map: &columns::ColumnMap, sheet: &Location, problems: &mut Vec<Problem>) {
    let header = sheet.with_row(map.header_row);
    if !map.unknown.is_empty() {
        let columns = map
            .unknown
            .iter()
            .map(|(c, h)| (h.clone(), column_letters(*c)))
            .collect();
        problems.push(Problem::note(
            header.clone(),
            ProblemKind::UnknownColumns { columns },
        ));
    }
    for (col, field) in &map.duplicates {
        let first = map
            .column_of(*field)
            .map(column_letters)
            .unwrap_or_default();
        problems.push(Problem::warning(
            header.with_column(*col),
            ProblemKind::ColumnTwice {
                header: field.header().to_owned(),
                used: first,
            },
        ));
    }
    if map.column_of(columns::Field::Nrn).is_none()
        && map.column_of(columns::Field::Email).is_none()
    {
        problems.push(Problem::warning(header, ProblemKind::NoIdentityColumn));
    }
}

/// Values past the header's last column are usually a shifted row (an unquoted `;` in a name).
fn extra_cells(row: &RawRow, width: u32, sheet: &Location, problems: &mut Vec<Problem>) {
    if let Some((col, cell)) = row
        .cells
        .iter()
        .find(|(c, cell)| *c >= width && !cell.is_blank())
    {
        problems.push(Problem::warning(
            sheet.with_row(row.number).with_column(*col),
            ProblemKind::ValuePastHeader {
                value: crate::model::redact(&cell.display()),
            },
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `produce`, except that a file named `boom.*` makes the library "panic".
    fn panicky(
        path: &Path,
        location: &Location,
        sheets: &[String],
        stream: bool,
        sink: &mut dyn FnMut(Event) -> ControlFlow<()>,
    ) -> Result<(), ReadError> {
        if path.file_stem().is_some_and(|s| s == "boom") {
            panic!("index out of bounds in a reading library");
        }
        produce(path, location, sheets, stream, sink)
    }

    #[test]
    fn a_panicking_reader_is_an_internal_error_at_its_file_and_the_others_go_on() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("staff.csv");
        std::fs::write(
            &good,
            "Nom;Prénom;Email\nDupont;Marie;marie.dupont@lespetitspas.be\n",
        )
        .unwrap();
        let options = InputOptions {
            sheets: Vec::new(),
            aliases: HeaderAliases::default(),
            today: crate::model::TEST_TODAY,
        };
        // A workbook is read on the reader thread, a CSV on this one: both paths.
        for boom in ["boom.xlsx", "boom.csv"] {
            let paths = vec![dir.path().join(boom), good.clone()];
            let inputs = read_inputs_with(&paths, &options, panicky);
            assert_eq!(inputs.stats.unreadable_files, 1, "{boom}");
            let p = inputs
                .problems
                .iter()
                .find(|p| p.code() == "file-unreadable")
                .unwrap_or_else(|| panic!("{boom}: {:?}", inputs.problems));
            assert!(p.location.file.ends_with(boom), "{boom}: {}", p.location);
            let sentence = crate::report::messages::message(p);
            assert!(
                sentence.contains("internal error")
                    && sentence.contains("index out of bounds in a reading library"),
                "{boom}: {sentence}"
            );
            assert_eq!(
                inputs.desired.people.len(),
                1,
                "{boom}: the other file is read"
            );
        }
    }
}
