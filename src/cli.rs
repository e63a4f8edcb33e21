//! The command line: `faultline [FILE...]`, `faultline summary`, `faultline convert`.
//! Exit codes: 0 success; 2 invalid input (message on stderr starting `error:`); 1 other
//! failures.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::io::{self, LoadError, OpenOptions, Opened};
use crate::seed;
use crate::summary::{render_text, Summary};

/// Faultline: read armed-conflict event datasets through linked views.
#[derive(Debug, Parser)]
#[command(name = "faultline", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; without a command, open the app.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Datasets to open in the app (native JSON, ACLED/UCDP CSV, UCDP GeoJSON, GDELT TSV).
    pub files: Vec<PathBuf>,
}

/// The input flags shared by the commands that read a dataset.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// Read the input as this format instead of detecting it from its content.
    #[arg(long, value_enum)]
    pub format: Option<io::Format>,
    /// Fail on the first bad record instead of skipping it and reporting it.
    #[arg(long)]
    pub strict: bool,
}

/// A command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a dataset and print what it holds (no FILE: the embedded dataset).
    Summary {
        /// The dataset to read; omit for the embedded seed dataset.
        file: Option<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Write a dataset in the native format (no INPUT: the embedded dataset).
    Convert {
        /// The dataset to read; omit for the embedded seed dataset.
        input: Option<PathBuf>,
        /// Where to write the native JSON (replaced only on success).
        #[arg(long, short)]
        out: PathBuf,
        #[command(flatten)]
        input_args: InputArgs,
    },
}

/// Exit code for invalid input.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for any other failure.
pub const EXIT_FAILURE: u8 = 1;

/// Reads the named file, or the embedded dataset when there is none.
pub fn open_input(file: Option<&Path>, args: &InputArgs) -> Result<Opened, LoadError> {
    match file {
        Some(path) => io::open(
            path,
            &OpenOptions {
                format: args.format,
                strict: args.strict,
                ..OpenOptions::default()
            },
        ),
        None => seed::seed_dataset().map(Opened::native),
    }
}

fn report_load_error(err: &LoadError) -> ExitCode {
    eprintln!("error: {err}");
    ExitCode::from(if err.is_bad_input() {
        EXIT_BAD_INPUT
    } else {
        EXIT_FAILURE
    })
}

/// Prints the row problems of a partial import to stderr (the first 20, then a count).
fn report_row_problems(opened: &Opened, name: &Path) {
    if opened.skipped > 0 {
        eprintln!(
            "warning: {} record(s) skipped:\n{}",
            opened.skipped,
            io::problem::list_problems(name, &opened.problems, opened.skipped).trim_end()
        );
    }
}

/// Runs the `summary` command.
pub fn summary(file: Option<&Path>, json: bool, args: &InputArgs) -> ExitCode {
    let opened = match open_input(file, args) {
        Ok(o) => o,
        Err(e) => return report_load_error(&e),
    };
    let name = file.unwrap_or(Path::new(seed::SEED_NAME));
    let summary = Summary::of(&opened.store, opened.format.name(), opened.skipped);
    if json {
        match serde_json::to_string_pretty(&summary) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: cannot write the summary: {e}");
                return ExitCode::from(EXIT_FAILURE);
            }
        }
    } else {
        print!("{}", render_text(&summary, &opened.store));
    }
    report_row_problems(&opened, name);
    ExitCode::SUCCESS
}

/// Runs the `convert` command.
pub fn convert(input: Option<&Path>, out: &Path, args: &InputArgs) -> ExitCode {
    let opened = match open_input(input, args) {
        Ok(o) => o,
        Err(e) => return report_load_error(&e),
    };
    let name = input.unwrap_or(Path::new(seed::SEED_NAME));
    report_row_problems(&opened, name);
    if let Err(e) = io::native::save(out, &opened.store.to_dataset()) {
        eprintln!("error: {}: cannot write: {e}", out.display());
        return ExitCode::from(EXIT_FAILURE);
    }
    eprintln!(
        "wrote {} ({} events, {} actors)",
        out.display(),
        opened.store.len(),
        opened.store.actors().len()
    );
    ExitCode::SUCCESS
}
