//! The native file dialogs, behind a trait so tests (and the monkey test) can answer them.

use std::path::PathBuf;

/// Asks the user for files.
pub trait FileDialogs: Send {
    /// A dataset to open, or `None` if the user cancelled.
    fn pick_dataset(&mut self) -> Option<PathBuf>;
    /// A folder to open as the Parquet shards of one dataset, or `None` if the user
    /// cancelled (or the dialogs cannot pick folders).
    fn pick_folder(&mut self) -> Option<PathBuf> {
        None
    }
    /// Where to save an export, proposing `default_name`; the dialog asks before replacing a
    /// file. `None` if the user cancelled.
    fn save_export(&mut self, default_name: &str, extension: &str) -> Option<PathBuf>;
    /// Where to save a workspace, or `None` if the user cancelled (or the dialogs cannot
    /// save one).
    fn save_workspace(&mut self) -> Option<PathBuf> {
        None
    }
}

/// The platform's dialogs (rfd: the XDG desktop portal on Linux).
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn pick_dataset(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open a dataset")
            .add_filter(
                "Datasets",
                &[
                    "json", "csv", "tsv", "txt", "geojson", "xlsx", "xlsm", "xlsb", "xls", "ods",
                    "parquet", "feather", "arrow", "arrows", "ipc",
                ],
            )
            .add_filter("All files", &["*"])
            .pick_file()
    }

    fn pick_folder(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open a folder of Parquet shards")
            .pick_folder()
    }

    fn save_workspace(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Save the workspace")
            .set_file_name("workspace.faultline.json")
            .add_filter("Faultline workspace", &["json"])
            .save_file()
    }

    fn save_export(&mut self, default_name: &str, extension: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Export")
            .set_file_name(default_name)
            .add_filter(extension.to_uppercase(), &[extension])
            .save_file()
    }
}
