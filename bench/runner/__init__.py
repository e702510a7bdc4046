"""bench/run's parts: where the tools are (env), the PingPong variants
(pingpong), the kernel variants (kernels), the targets the project watches
(targets), the files written (report), their copies for the README and the
docs (publish) and the command line (cli)."""
