%% SPDX-License-Identifier: ISC
%% @doc A container made by a port running as root: new mount, PID, UTS, IPC and network
%% namespaces without a user namespace, the same read-only root as nook_rootless, then the
%% process gives up root for the configured ids (setgroups, setresgid, setresuid) before exec.
%%
%% Config: nook_rootless's (`net', `hostname', `path', `fstab', `priority', `rlimit',
%% `setuid', `environ', `seccomp') with `{uid, U}' and `{gid, G}' the ids the program runs as
%% (65534 and = uid by default), here real ids on the host.
-module(nook_container).
-behaviour(nook_behaviour).

-export([task/1, init/1, ops/1, onerror/1, onexit/1, environ/1]).

-spec task(nook_behaviour:config()) -> {ok, nook:task()} | {error, term()}.
task(Config) -> nook_rootless:task(Config).

-spec init(nook_behaviour:config()) ->
    fun((nook:task()) -> {ok, [nook:task(), ...]} | {error, term()}).
init(Config) ->
    Flags = [clone_newipc, clone_newns, clone_newpid, clone_newuts
             | case proplists:get_value(net, Config, none) of
                   none -> [clone_newnet];
                   host -> []
               end],
    Root = proplists:get_value(path, Config, nook_rootless:default_root()),
    fun(Supervisor) ->
            case {nook:getuid(Supervisor), nook_rootless:make_root(Root)} of
                {0, ok} ->
                    case nook:clone(Supervisor, Flags) of
                        {ok, Init} -> nook_rootless:fork_exec_task(Init);
                        {error, _} = Error -> Error
                    end;
                {0, {error, Reason}} ->
                    {error, {make_root, Root, Reason}};
                {Euid, _} ->
                    {error, {not_root, Euid}}
            end
    end.

-spec ops(nook_behaviour:config()) -> [nook_op:op()].
ops(Config) ->
    Uid = proplists:get_value(uid, Config, 65534),
    Gid = proplists:get_value(gid, Config, Uid),
    [{setsid, []},
     {sethostname, [proplists:get_value(hostname, Config, "nook")]},
     nook_rootless:mount_ops(Config),
     case proplists:get_value(net, Config, none) of
         none -> {nook_rootless, lo_up, []};
         host -> []
     end,
     nook_process:process_ops(Config),
     %% Root inside is root outside: give it up for good before the program runs.
     {setgroups, [[]]},
     {setresgid, [Gid, Gid, Gid]},
     {setresuid, [Uid, Uid, Uid]},
     nook_seccomp:ops(Config, default)].

-spec onerror(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onerror(Config) -> nook_rootless:onerror(Config).

-spec onexit(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onexit(Config) -> nook_rootless:onexit(Config).

-spec environ(nook_behaviour:config()) -> [string()].
environ(Config) -> nook_rootless:environ(Config).
