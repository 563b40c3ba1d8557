; Inno Setup 6 script: a per-user pinupload install (no admin rights), with a Start menu
; entry, "Open with" for spreadsheets and an uninstaller. installer\build.ps1 compiles
; it after the bundle, passing /DAppVersion from pinupload.__version__. Paths below are
; relative to this file.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z installer\windows\pinupload.iss
#endif
#define AppId "com.pinupload.Pinupload"
#define AppExe "pinupload.exe"
#define ProgId "Pinupload.Spreadsheet"

[Setup]
; The same id on every build, so a newer setup replaces the installed version.
AppId={#AppId}
AppName=pinupload
AppVersion={#AppVersion}
AppVerName=pinupload {#AppVersion}
AppPublisher=pinupload
VersionInfoVersion={#AppVersion}
DefaultDirName={localappdata}\Programs\pinupload
DefaultGroupName=pinupload
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=pinupload-{#AppVersion}-setup
SetupIconFile=..\..\resources\pinupload.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=pinupload
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes

[Files]
Source: "..\..\dist\pinupload\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\pinupload"; Filename: "{app}\{#AppExe}"
Name: "{userdesktop}\pinupload"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Registry]
; Everything under HKCU (HKA resolves to it in a per-user install): no admin needed.
; The ProgID says how to open a file; OpenWithProgids adds it to "Open with" without
; taking the default away from the office suite.
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueData: "Spreadsheet for pinupload"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.xlsx\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.xls\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.csv\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.ods\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
; The Applications key names the app in "Open with" and lists the types it takes.
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "pinupload"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".xlsx"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".xls"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".csv"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".ods"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,pinupload}"; Flags: nowait postinstall skipifsilent
