%% SPDX-License-Identifier: ISC
%% @doc Call filters as the bitmaps priv/nook takes: bit N%8 of byte N div 8 for call id N.
%%
%% A filter may name calls that priv/nook does not have: those of other platforms that prx
%% knows (procctl, pledge, jail, ...), which cannot be made here anyway. A name that no
%% platform has raises badarg.
-module(nook_filter).

-export([bitmap/1, expand/1]).

%% Every call name of alcove 1.0.1, which prx 1.0.1 filters by, on every platform it runs on.
-define(PRX_CALLS,
        [alloc, cap_constant, cap_enter, cap_fcntls_get, cap_fcntls_limit, cap_getmode,
         cap_ioctls_limit, cap_rights_limit, chdir, chmod, chown, chroot, clearenv, clone,
         clone_constant, close, connect, cpid, environ, errno_id, execve, execvp, exit, fcntl,
         fcntl_constant, fexecve, file_constant, filter, fork, getcwd, getenv, getgid,
         getgroups, gethostname, getopt, getpgrp, getpid, getpriority, getresgid, getresuid,
         getrlimit, getsid, getuid, ioctl, ioctl_constant, iolist_to_bin, jail, jail_attach,
         jail_remove, kill, link, lseek, mkdir, mkfifo, mount, mount_constant, open,
         pivot_root, pledge, prctl, prctl_constant, procctl, ptrace, ptrace_constant, read,
         readdir, rlimit_constant, rmdir, seccomp, seccomp_constant, select, setcpid, setenv,
         setgid, setgroups, sethostname, setns, setopt, setpgid, setpriority, setproctitle,
         setresgid, setresuid, setrlimit, setsid, setuid, sigaction, signal_constant, socket,
         symlink, syscall_constant, umount, umount2, unlink, unsetenv, unshare, unveil,
         version, waitpid, write]).
%% Names prx's filter takes besides: its own functions that stand for several calls.
-define(PRX_FUNCTIONS, [reexec, replace_process_image, getcpid]).

%% @doc The calls to refuse for a filter spec, as a bitmap; `<<>>' for `[]' (no change).
-spec bitmap(nook:filter_spec()) -> binary().
bitmap([]) ->
    <<>>;
bitmap({deny, Calls}) when is_list(Calls) ->
    encode(ids(closing(Calls)));
bitmap({allow, Calls}) when is_list(Calls) ->
    Allowed = maps:from_keys(ids(expand(Calls)), true),
    encode([Id || {Name, _} <- nook_calls:all(), Id <- [nook_calls:id(Name)],
                  not is_map_key(Id, Allowed)]);
bitmap(Calls) when is_list(Calls) ->
    bitmap({deny, Calls});
bitmap(_) ->
    erlang:error(badarg).

%% @doc What allowing a call takes: a process that may fork must also be able to list and
%% close its children, one that may exec must be able to check it has none; re-executing
%% nook takes what prx's reexec does.
-spec expand([atom()]) -> [atom()].
expand(Calls) when is_list(Calls) ->
    lists:usort(closing(lists:flatmap(fun expand_call/1, Calls)));
expand(_) ->
    erlang:error(badarg).

expand_call(fork) -> [cpid, fork, close];
expand_call(clone) -> [cpid, clone, close];
expand_call(execve) -> [cpid, execve];
expand_call(execvp) -> [cpid, execvp];
expand_call(fexecve) -> [cpid, fexecve];
expand_call(replace_process_image) -> expand_call(reexec);
expand_call(reexec) ->
    [reexec, cpid, environ, execve, fcntl, fcntl_constant, fexecve, getopt, setcpid, setopt];
expand_call(Call) -> [Call].

%% In prx, closing a child's stdin is a close in its parent: whatever a filter says of
%% close, it says of eof.
closing(Calls) when is_list(Calls) ->
    case lists:member(close, Calls) of
        true -> [eof | Calls];
        false -> Calls
    end;
closing(_) ->
    erlang:error(badarg).

%% The ids of the calls priv/nook has; names only other platforms have are left out.
ids(Calls) ->
    [Id || C <- Calls, Id <- id(C, Calls)].

id(Call, Calls) ->
    case nook_calls:id(Call) of
        undefined ->
            case lists:member(Call, ?PRX_CALLS) orelse lists:member(Call, ?PRX_FUNCTIONS) of
                true -> [];
                false -> erlang:error(badarg, [Calls])
            end;
        Id ->
            [Id]
    end.

encode([]) ->
    <<>>;
encode(Ids) ->
    Bytes = lists:max(Ids) div 8 + 1,
    %% Bit Id of one integer, its bytes lowest first: one pass over the ids.
    Bits = lists:foldl(fun(Id, Acc) -> Acc bor (1 bsl Id) end, 0, Ids),
    <<Bits:(8 * Bytes)/little>>.
