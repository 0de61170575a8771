/* Test-only stand-in for mscms.dll under Wine 8, whose builtin lacks WcsCreateIccProfile (Qt's
 * qwindows platform plugin imports it, and every top-level window then crashed with 0xc0000409).
 *
 * Exports the four colour-profile functions qwindows.dll imports; each reports failure (no
 * colour profile), so Qt draws with its default sRGB. Built by packaging/windows/build.sh with
 * mingw-w64 into the Wine test prefix's system32 and loaded there with a native,builtin
 * override; it must NEVER be shipped in the bundle (real Windows has mscms.dll). */
#include <windows.h>

#define EXPORT __declspec(dllexport)

EXPORT HANDLE WINAPI OpenColorProfileW(void *profile, DWORD access, DWORD share, DWORD creation) {
    (void)profile; (void)access; (void)share; (void)creation;
    SetLastError(ERROR_NOT_SUPPORTED);
    return NULL;
}
EXPORT BOOL WINAPI CloseColorProfile(HANDLE profile) { (void)profile; return TRUE; }
EXPORT BOOL WINAPI GetColorProfileFromHandle(HANDLE profile, BYTE *buffer, DWORD *size) {
    (void)profile; (void)buffer; if (size) *size = 0;
    SetLastError(ERROR_NOT_SUPPORTED);
    return FALSE;
}
EXPORT HANDLE WINAPI WcsCreateIccProfile(HANDLE profile, DWORD options) {
    (void)profile; (void)options;
    SetLastError(ERROR_NOT_SUPPORTED);
    return NULL;
}
