-- reportlint for Neovim: starts `reportlint lsp` for report drafts (markdown and text by
-- default) and adds :ReportlintFixAll and :ReportlintRestart. Works on Neovim 0.7 and
-- later; on 0.8+ it uses vim.lsp.start, on 0.7 vim.lsp.start_client. No other plugin needed.
--
--   require("reportlint").setup({
--     cmd = { "reportlint", "lsp" },
--     filetypes = { "markdown", "text" },
--     root_markers = { "reportlint.toml", ".reportlint.toml", ".git" },
--     settings = { profile = "auto", debounceMs = 100, lintOn = "type", inlayHints = false },
--     on_attach = function(client, bufnr) end,
--     capabilities = nil,
--     keymaps = { fix_all = "<leader>rf" }, -- false: no keymaps
--   })

local M = {}

local NAME = "reportlint"
local FIX_ALL_COMMAND = "reportlint.fixAll"
local INSTALL_URL = "https://example.invalid/reportlint#installation"

local defaults = {
  cmd = { "reportlint", "lsp" },
  filetypes = { "markdown", "text" },
  root_markers = { "reportlint.toml", ".reportlint.toml", ".git" },
  settings = {},
  on_attach = nil,
  capabilities = nil,
  keymaps = { fix_all = "<leader>rf" },
}

M.config = vim.deepcopy(defaults)

local has_start = vim.fn.has("nvim-0.8") == 1 and vim.lsp.start ~= nil
local method_calls = vim.fn.has("nvim-0.11") == 1 -- client:request() instead of client.request()
local uv = vim.uv or vim.loop

-- Neovim 0.7: one client per root folder.
local clients_by_root = {}
-- Executables already reported missing.
local reported_missing = {}

local function notify(message, level)
  vim.notify("reportlint: " .. message, level or vim.log.levels.INFO)
end

local function all_clients()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ name = NAME })
  end
  local found = {}
  for _, client in ipairs(vim.lsp.get_active_clients()) do
    if client.name == NAME then
      table.insert(found, client)
    end
  end
  return found
end

-- The reportlint clients attached to a buffer.
local function buffer_clients(bufnr)
  local found = {}
  for _, client in ipairs(all_clients()) do
    if vim.lsp.buf_is_attached(bufnr, client.id) then
      table.insert(found, client)
    end
  end
  return found
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

-- The nearest folder at or above the buffer's file that holds one of the root markers;
-- else the file's folder (the current directory for a buffer without a name).
function M.root_dir(bufnr)
  local start = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":p:h")
  local dir = start
  while true do
    for _, marker in ipairs(M.config.root_markers or {}) do
      if exists(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return start
    end
    dir = parent
  end
end

local function wanted(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return false -- help, terminals, hover windows (which are markdown too)
  end
  if vim.api.nvim_buf_get_name(bufnr) == "" then
    -- A buffer without a file has the URI `file://`, shared by all of them, which Neovim
    -- maps back to a buffer named "/": its diagnostics and fixes would land there.
    return false
  end
  return vim.tbl_contains(M.config.filetypes or {}, vim.bo[bufnr].filetype)
end

local function executable_found()
  local exe = M.config.cmd and M.config.cmd[1]
  if exe and vim.fn.executable(exe) == 1 then
    return true
  end
  exe = tostring(exe)
  if not reported_missing[exe] then
    reported_missing[exe] = true
    local looked = exe:find("/", 1, true) and "is not an executable file"
      or "was not found on $PATH"
    notify(
      ("cannot start the language server: %q %s (cmd = { %s }). Install reportlint "
        .. "(see %s), or give the plugin the binary's full path: "
        .. 'require("reportlint").setup({ cmd = { "/path/to/reportlint", "lsp" } })'):format(
        exe,
        looked,
        table.concat(vim.tbl_map(function(part)
          return ("%q"):format(tostring(part))
        end, M.config.cmd or {}), ", "),
        INSTALL_URL
      ),
      vim.log.levels.WARN
    )
  end
  return false
end

function M.fix_all(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local clients = buffer_clients(bufnr)
  if #clients == 0 then
    notify("no reportlint server is attached to this buffer", vim.log.levels.WARN)
    return
  end
  local params = { command = FIX_ALL_COMMAND, arguments = { vim.uri_from_bufnr(bufnr) } }
  local function done(err)
    if err then
      notify("fix all failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    end
  end
  -- The server answers by sending workspace/applyEdit, which Neovim's default handler applies.
  local client = clients[1]
  if method_calls then
    client:request("workspace/executeCommand", params, done, bufnr)
  else
    client.request("workspace/executeCommand", params, done, bufnr)
  end
end

local function set_keymaps(bufnr)
  local keymaps = M.config.keymaps
  if not keymaps then
    return
  end
  if keymaps == true then
    keymaps = defaults.keymaps
  end
  if keymaps.fix_all then
    vim.keymap.set("n", keymaps.fix_all, function()
      M.fix_all(bufnr)
    end, { buffer = bufnr, silent = true, desc = "reportlint: fix all" })
  end
end

local function client_config(root)
  local settings = M.config.settings or {}
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  if M.config.capabilities then
    capabilities = vim.tbl_deep_extend("force", capabilities, M.config.capabilities)
  end
  local config = {
    name = NAME,
    cmd = M.config.cmd,
    root_dir = root,
    capabilities = capabilities,
    -- An empty table would be sent as `[]`, which the server rejects: send nothing instead.
    init_options = next(settings) and settings or nil,
    settings = next(settings) and { reportlint = settings } or {},
    on_attach = function(client, bufnr)
      set_keymaps(bufnr)
      if M.config.on_attach then
        M.config.on_attach(client, bufnr)
      end
    end,
  }
  if not has_start then
    -- Neovim 0.8+ sends the settings itself after initialize; 0.7 does not.
    config.on_init = function(client)
      if next(settings) then
        client.notify("workspace/didChangeConfiguration", { settings = { reportlint = settings } })
      end
    end
    config.on_exit = function(_, _, client_id)
      if clients_by_root[root] == client_id then
        clients_by_root[root] = nil
      end
    end
  end
  return config
end

-- Starts (or reuses) the server for the buffer's root and attaches the buffer.
function M.attach(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  if not wanted(bufnr) or not executable_found() then
    return
  end
  local root = M.root_dir(bufnr)
  if has_start then
    -- Neovim 0.8.0's vim.lsp.start ignores opts.bufnr and attaches the current buffer.
    return vim.api.nvim_buf_call(bufnr, function()
      return vim.lsp.start(client_config(root), { bufnr = bufnr })
    end)
  end
  local client_id = clients_by_root[root]
  -- get_client_by_id also finds a client still initializing, which client_is_stopped
  -- reports as stopped on 0.7: two buffers opened at once would each start a server.
  local client = client_id and vim.lsp.get_client_by_id(client_id)
  if not client or client.is_stopped() then
    client_id = vim.lsp.start_client(client_config(root))
    if not client_id then
      notify("could not start " .. table.concat(M.config.cmd, " "), vim.log.levels.ERROR)
      return
    end
    clients_by_root[root] = client_id
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
  return client_id
end

local function attach_open_buffers()
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      M.attach(bufnr)
    end
  end
end

-- Stops every reportlint server, then starts them again for the open buffers.
function M.restart()
  local clients = all_clients()
  local ids = {}
  for _, client in ipairs(clients) do
    table.insert(ids, client.id)
    vim.lsp.stop_client(client.id)
  end
  clients_by_root = {}
  local function stopped()
    for _, id in ipairs(ids) do
      if not vim.lsp.client_is_stopped(id) then
        return false
      end
    end
    return true
  end
  local tries = 0
  local function again()
    tries = tries + 1
    local done = stopped()
    if done or tries > 50 then
      if not done then
        for _, id in ipairs(ids) do
          local client = vim.lsp.get_client_by_id(id)
          if client and client.rpc and client.rpc.terminate then
            -- Neovim 0.10+: stop_client(id, true) does nothing once a stop is under way.
            client.rpc.terminate()
          else
            vim.lsp.stop_client(id, true)
          end
        end
      end
      attach_open_buffers()
    else
      vim.defer_fn(again, 100)
    end
  end
  again()
end

function M.setup(opts)
  M.config = vim.tbl_extend("force", vim.deepcopy(defaults), opts or {})
  if type(M.config.cmd) == "string" then
    M.config.cmd = { M.config.cmd }
  end
  local group = vim.api.nvim_create_augroup("reportlint", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
    desc = "reportlint: start the language server",
  })
  vim.api.nvim_create_user_command("ReportlintFixAll", function()
    M.fix_all(0)
  end, { desc = "reportlint: fix all safely fixable totals in this buffer" })
  vim.api.nvim_create_user_command("ReportlintRestart", function()
    M.restart()
  end, { desc = "reportlint: restart the language server" })
  attach_open_buffers()
end

return M
