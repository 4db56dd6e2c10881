// The themes compiled into the binary, the default first. Read by build.rs too, which embeds
// `themes/<name>/` of each; keep it a plain list expression.
&["qissa", "jarida"]
