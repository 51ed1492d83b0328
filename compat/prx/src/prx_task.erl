%% SPDX-License-Identifier: ISC
%% @doc prx's op runner: do/3,4 are prx:task/3,4, with/3 runs ops on a task. Written at compile
%% time by prx_forward.
-module(prx_task).
-compile({parse_transform, prx_forward}).
-prx_forward({functions, [{do, 3, nook, task}, {do, 4, nook, task}, {with, 3, nook_op, with}]}).
