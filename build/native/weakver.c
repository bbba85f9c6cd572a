/* Marks one version requirement of an ELF shared library weak (VER_FLG_WEAK in its Vernaux entry), so the dynamic
   loader accepts a system library that lacks that version. Usage: weakver FILE VERSION */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: %s FILE VERSION\n", argv[0]); return 2; }
  FILE *f = fopen(argv[1], "r+b");
  if (!f) { perror(argv[1]); return 1; }
  fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
  unsigned char *d = malloc(size);
  if (!d || fread(d, 1, size, f) != (size_t)size) { fprintf(stderr, "read failed\n"); return 1; }
  Elf64_Ehdr *eh = (Elf64_Ehdr *)d;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64) { fprintf(stderr, "not a 64-bit ELF file\n"); return 1; }
  Elf64_Shdr *sh = (Elf64_Shdr *)(d + eh->e_shoff);
  int found = 0;
  for (int i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != SHT_GNU_verneed) continue;
    const char *strtab = (const char *)(d + sh[sh[i].sh_link].sh_offset);
    unsigned long off = sh[i].sh_offset;
    for (;;) {
      Elf64_Verneed *vn = (Elf64_Verneed *)(d + off);
      unsigned long aoff = off + vn->vn_aux;
      for (int k = 0; k < vn->vn_cnt; k++) {
        Elf64_Vernaux *va = (Elf64_Vernaux *)(d + aoff);
        if (strcmp(strtab + va->vna_name, argv[2]) == 0) { va->vna_flags |= VER_FLG_WEAK; found = 1; }
        if (!va->vna_next) break;
        aoff += va->vna_next;
      }
      if (!vn->vn_next) break;
      off += vn->vn_next;
    }
  }
  if (!found) { fprintf(stderr, "%s: no requirement of %s\n", argv[1], argv[2]); return 3; }
  fseek(f, 0, SEEK_SET);
  if (fwrite(d, 1, size, f) != (size_t)size) { fprintf(stderr, "write failed\n"); return 1; }
  fclose(f);
  return 0;
}
