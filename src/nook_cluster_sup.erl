%% SPDX-License-Identifier: ISC
%% @doc The cluster's processes on this node: nook's pg scope, the table of the nodes'
%% figures (nook_cluster, a member of this node's groups) and this node's own figures
%% (nook_capacity). In that order and rest_for_one: group memberships live in the scope, and
%% the publisher sends through it.
-module(nook_cluster_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

%% @doc Start the supervisor (nook_sup does).
-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

%% @private
-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    Children = [#{id => pg, start => {pg, start_link, [nook_cluster:scope()]}},
                #{id => nook_cluster, start => {nook_cluster, start_link, []}},
                #{id => nook_capacity, start => {nook_capacity, start_link, []}}],
    {ok, {#{strategy => rest_for_one, intensity => 10, period => 10}, Children}}.
