; The traywatch installer for Windows (NSIS 3, built on Linux by packaging/windows/build.sh).
;
; Per user, no administrator rights: installs into %LOCALAPPDATA%\Programs\traywatch, adds a
; Start-menu shortcut and an entry in "Installed apps" with an uninstaller, and (a component the
; user can untick) starts traywatch at login through the same HKCU Run value the app's own
; Settings > "Start traywatch when I log in" writes. Silent use: setup.exe /S [/AUTOSTART=0|1]
; [/D=folder]. The uninstaller keeps the settings, history and saved token (a reinstall finds them).
; Both first close a running traywatch (`traywatch.exe --quit`), which holds its files open.
;
; makensis -DVERSION=1.2.3 -DBUNDLE=dist/windows/traywatch -DOUTFILE=setup.exe -DICON=app.ico installer.nsi

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
ManifestDPIAware true

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh

!define APP "traywatch"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"

; A running tray app holds its files open, so neither an upgrade nor the uninstaller could replace
; or remove them. `--quit` asks it to stop (checks stopped, history closed) and returns once its
; process has ended: 0 also when none runs. Anything else (an older version without --quit, one that
; does not answer) ends it by force.
!macro CLOSE_RUNNING_APP
  ${If} ${FileExists} "$INSTDIR\${APP}.exe"
    DetailPrint "Closing ${APP} if it is running..."
    nsExec::Exec '"$INSTDIR\${APP}.exe" --quit'
    Pop $0
    ${If} $0 != 0
      DetailPrint "${APP} did not quit (answer: $0): ending it"
      nsExec::Exec 'taskkill /F /IM ${APP}.exe'
      Pop $0
      Sleep 1000
    ${EndIf}
  ${EndIf}
!macroend

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
RequestExecutionLevel user
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} setup: is it my internet, or is it Meta?"
VIAddVersionKey "LegalCopyright" "MIT License"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP}.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP} now (it lives in the notification area)"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "${APP} (required)" SecApp
  SectionIn RO
  !insertmacro CLOSE_RUNNING_APP
  SetOutPath "$INSTDIR"
  RMDir /r "$INSTDIR\_internal" ; an older version's libraries: never mix two versions
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${APP}.exe" "" "$INSTDIR\${APP}.exe" 0 \
    SW_SHOWNORMAL "" "Is it my internet, or is it Meta?"
  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP}.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "Start ${APP} when I log in" SecLogin
  ; The value the app's own setting writes (traywatch.platform.autostart.windows_run).
  WriteRegStr HKCU "${RUN_KEY}" "${APP}" '"$INSTDIR\${APP}.exe"'
SectionEnd

Function .onInit
  ; /AUTOSTART=0 leaves start at login off (for silent installs; the page has a tick box).
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/AUTOSTART=" $1
  ${IfNot} ${Errors}
  ${AndIf} $1 == "0"
    SectionSetFlags ${SecLogin} 0
  ${EndIf}
FunctionEnd

Section "Uninstall"
  !insertmacro CLOSE_RUNNING_APP
  DeleteRegValue HKCU "${RUN_KEY}" "${APP}"
  Delete "$SMPROGRAMS\${APP}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP}.exe"
  Delete "$INSTDIR\${APP}-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
SectionEnd
