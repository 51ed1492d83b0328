%% SPDX-License-Identifier: ISC
%% @doc The nook application: started on demand by the first port (nook:fork/0 and every
%% behaviour) or stream, or by `application:ensure_all_started(nook)'.
%%
%% Its tree: nook_sup, which owns the table of live tasks, and under it nook_cgroup_keeper
%% and nook_stream_sup, the streams of nook_stream:open/3 (each labelled with its behaviour
%% and command).
%%
%% Settings (sys.config, or `config :nook, ...' in Elixir):
%% <ul>
%% <li>`{default_root, Dir}': the directory nook_rootless and nook_container mount a
%%     container's root onto when a start has no `{path, Dir}'; by default priv/root in
%%     nook's directory, made at the first start (see nook_root for what it must be).</li>
%% <li>`{seccomp, default | none | Policy}': what nook_rootless and nook_container load
%%     when a start has no `seccomp' option: `default' (the default) is
%%     nook_seccomp:default_profile/0; `none' loads no filter; a policy (see nook_seccomp)
%%     is loaded instead of the profile. A start's own `{seccomp, ...}' wins; nook_process
%%     loads nothing unless asked.</li>
%% <li>`{limits, #{...}}': the default limits of every start (see nook_limits).</li>
%% <li>`{cgroup_base, Dir}': the cgroup v2 directory nook makes its cgroups in (see
%%     nook_cgroup).</li>
%% <li>`{exec, Prefix}': a command the port program is started under, such as "sudo -n"
%%     (nook:sudo/0,1 set it); "" by default.</li>
%% </ul>
-module(nook_app).
-behaviour(application).

-export([start/2, stop/1, ensure_started/0]).

%% @private
-spec start(application:start_type(), term()) -> {ok, pid()} | {error, term()}.
start(_Type, _Args) -> nook_sup:start_link().

%% @private
-spec stop(term()) -> ok.
stop(_State) -> ok.

%% @doc Start the application unless it runs: cheap when it does (no call to the
%% application controller). It runs once its supervisor's last child (nook_stream_sup) is
%% there: the registry's table comes before any child, the cluster's before the streams'.
-spec ensure_started() -> ok | {error, term()}.
ensure_started() ->
    case whereis(nook_stream_sup) =/= undefined of
        true ->
            ok;
        false ->
            case application:ensure_all_started(nook) of
                {ok, _} -> ok;
                {error, _} = Error -> Error
            end
    end.
