%% SPDX-License-Identifier: ISC
%% @doc What prx code asks of prx_drv: progname/0 (the port program, e.g. to check its setuid
%% bit) and call/4 (a call from a fun given to atexit/2 or sigaction/3). Written at compile
%% time by prx_forward.
-module(prx_drv).
-compile({parse_transform, prx_forward}).
-prx_forward({functions, [{progname, 0, nook_port, progname}, {call, 4, nook_port, call}]}).
