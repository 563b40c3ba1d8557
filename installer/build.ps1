# Builds pinupload's one-folder bundle on Windows into dist\pinupload\, then, when
# Inno Setup 6 is installed, the per-user installer dist\pinupload-VERSION-setup.exe.
# Run from any folder:  powershell -ExecutionPolicy Bypass -File installer\build.ps1
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

$python = if ($env:PYTHON) { $env:PYTHON } else { ".venv\Scripts\python.exe" }
$version = & $python -c "import pinupload; print(pinupload.__version__)"
if ($LASTEXITCODE -ne 0) { throw "cannot read the version with $python" }

& $python -m PyInstaller --noconfirm --log-level WARN `
    --distpath dist --workpath build\pyinstaller installer\pinupload.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# The exe is windowed: piping its output gives it somewhere to print.
& dist\pinupload\pinupload.exe --selftest | Write-Output
if ($LASTEXITCODE -ne 0) { throw "the built pinupload failed its selftest" }

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) {
    $default = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
    if (Test-Path $default) { $iscc = $default }
}
if ($iscc) {
    & $iscc /Qp "/DAppVersion=$version" installer\windows\pinupload.iss
    if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
    Write-Output "installer: dist\pinupload-$version-setup.exe"
} else {
    Write-Output "Inno Setup 6 not found: bundle only, in dist\pinupload\"
}
