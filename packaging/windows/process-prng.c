/* Test-only stand-in for bcryptprimitives.dll, which Wine 8 lacks: Rust's standard library on
 * Windows imports ProcessPrng from it. packaging/windows-check.sh builds this with mingw-w64 into
 * a temporary folder beside faro.exe, for the check under Wine only. It is never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, in advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
